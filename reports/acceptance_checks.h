/*
 * acceptance_checks.h: the acceptance package's sections of the 验收意见 (acceptance_checks.c).
 */
#ifndef DL_REPORTS_ACCEPTANCE_CHECKS_H
#define DL_REPORTS_ACCEPTANCE_CHECKS_H

#include "report_common.h"

/*
 * Appends, under the verdict, the sections of the acceptance package of comparison c (made with a
 * policy) whose after sheet is `after`: the contract and the service provider with its rating, the
 * materials checklist, the financial check with the reconciliation of totals, the on-site checks,
 * and, unless the verdict is 通过, the rectification items with the deadline, the re-inspection path
 * and what a later pass changes. A part the sheet does not record says "未记录".
 */
void dl__acceptance_checks(dl__rp *rp, const dl_comparison *c, const dl_sheet *after);

#endif
