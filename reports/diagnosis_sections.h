/*
 * diagnosis_sections.h: the sections of the diagnostic report (数字化诊断报告) that show the
 * diagnosis data (reports/diagnosis_sections.c): the enterprise's operating profile, products and
 * process, certifications, devices and software, the survey; the pain points and the 问题、需求和
 * 场景清单; the recommended retrofit. reports/diagnostic.c calls them in document order.
 */
#ifndef DL_DIAGNOSIS_SECTIONS_H
#define DL_DIAGNOSIS_SECTIONS_H

#include "report_common.h"

#include "digilevel/retrofit.h"

/*
 * The profile sections of sheet s, as level-2 headings numbered from `first` ((三) is 3): 经营情况,
 * 主要产品与工艺流程, 资质认证, 主要设备与工业软件, 调研方式与时间, starting a page. Nothing for
 * what s does not give (nothing at all without a <profile>).
 */
void dl__diag_profile_sections(dl__rp *rp, const dl_sheet *s, int first);

/*
 * The pain points in prose (dl_findings_make aiming at target, -1: the next level), then the
 * 问题、需求和场景清单: every scenario below the level the target asks for, with its current level
 * and what the target level requires in the questionnaire's words, and every question the plan
 * changes, with what is chosen now and what the plan asks for. plan may be NULL (at the top).
 */
void dl__diag_problems(dl__rp *rp, const dl_result *r, const dl_plan *plan, int target);

/*
 * The recommended retrofit along plan (NULL: nothing), with catalogue cat (NULL: the one next to
 * the questionnaire; none there: a sentence saying so) and policy (NULL: no subsidy computed).
 * Returns 0, or the code of a catalogue that cannot be used or of the recommendation (with err
 * set), which fails the report.
 */
int dl__diag_retrofit(dl__rp *rp, const dl_result *r, const dl_sheet *s, const dl_plan *plan,
		      const dl_catalogue *cat, const dl_policy *policy, dl_error *err);

#endif
