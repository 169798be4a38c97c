/*
 * digilevel.h: the whole public API of libdigilevel.
 *
 * digilevel rates how digital a small or medium manufacturer is, by MIIT's 《中小企业数字化水平评测
 * 指标（2024年版）》: load a questionnaire (questionnaire.h), read an answer sheet (sheet.h), score
 * it into a level with reasons and a plan to the next level (score.h).
 * Compare the sheets made before and after a retrofit, and decide acceptance and the subsidy by a
 * city's policy file (policy.h).
 * Render the 数字化诊断报告 and the 验收意见 as PDF (report.h).
 * Measure a pilot cohort against the pilot's performance targets (targets.h, cohort.h).
 * Score a whole cohort on all cores, pair each enterprise's sheets and decide every pair (batch.h),
 * fed from files, directories and lists of paths (batch_paths.h).
 * Write output files whole, never over an input (files.h).
 */
#ifndef DIGILEVEL_H
#define DIGILEVEL_H

#include "digilevel/common.h"
#include "digilevel/questionnaire.h"
#include "digilevel/sheet.h"
#include "digilevel/score.h"
#include "digilevel/policy.h"
#include "digilevel/targets.h"
#include "digilevel/cohort.h"
#include "digilevel/batch.h"
#include "digilevel/batch_paths.h"
#include "digilevel/files.h"
#include "digilevel/catalogue.h"
#include "digilevel/retrofit.h"
#include "digilevel/report.h"
#include "digilevel/xlsx.h"

#endif
