/*
 * gen.c: a deterministic generator of synthetic, valid, varied answer sheets for the benchmark.
 *
 *   gen [-s SEED] -n SHEETS [-d DIR] [-o STREAM [-p PART]] [-l]
 *
 * Writes SHEETS sheets of questionnaire miit-2024: enterprise by enterprise, a "before" sheet (a
 * diagnosis, sometimes a self-check) immediately followed by its "after" sheet (an evaluation with
 * a <retrofit> block), so that pairs are adjacent in the stream and in the sorted directory. With
 * -d, one file per sheet in DIR (e000001-1-before.xml, e000001-2-after.xml, ...); with -o, one
 * <answer-sheets> stream file (with -p, STREAM-0001.xml, ... of PART sheets each, for a reader
 * with a file size limit); -d and -o may be given together. -l prints, per sheet, the level it was
 * built to reach ("e000001 before 2"), so a run can be checked against what digilevel computes.
 *
 * Every sheet is valid against sheet.xsd and the library's checks: 统一社会信用代码 with a correct
 * GB 32100-2015 check character, real dates in order (retrofit completed <= applied <= evaluated),
 * figures that give exactly the option the generator decided (computed with the same exact
 * arithmetic as engine/scoring/resolve.c), scenario levels meeting the gate of the target level, and a
 * score in that level's band, so the level is the target level by construction.
 *
 * Enterprise i is generated from (SEED, i) alone: a cohort of 1,000 is the first 1,000 sheets of a
 * cohort of 100,000 with the same seed, and the same arguments always give the same bytes.
 * Standard C11 only; no dependencies. Not part of the library.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- random numbers (splitmix64) --------------------------------------------------------------- */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t next64(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static long range(rng *r, long lo, long hi)
{
	return lo + (long)(next64(r) % (uint64_t)(hi - lo + 1));
}

static int chance(rng *r, int percent)
{
	return range(r, 0, 99) < percent;
}

#define PICK(r, array) ((array)[range((r), 0, (long)(sizeof(array) / sizeof((array)[0])) - 1)])

/* --- output buffer ----------------------------------------------------------------------------- */

typedef struct buf {
	char data[1 << 17];
	size_t len;
} buf;

static void put(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, sizeof(b->data) - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(b->data) - b->len) {
		fprintf(stderr, "gen: sheet larger than the buffer\n");
		exit(3);
	}
	b->len += (size_t)n;
}

/* --- the questionnaire (miit-2024), as far as the generator needs it --------------------------- */

/* Points in 1/10000. Single-choice and derived questions: option k scores pts[k] (ascending).
 * Multi-choice: option A is exclusive (0 points), each of B.. adds pts[k]. */
typedef enum { SINGLE, MULTI, BAND, TREND } qkind;

typedef struct question {
	const char *id;
	qkind kind;
	int options; /* number of options, A.. */
	long pts[16];
} question;

static const question Q[15] = {
	{"Q01", MULTI, 5, {0, 20000, 20000, 20000, 20000}},
	{"Q02", BAND, 5, {0, 15000, 30000, 45000, 60000}},
	{"Q03", BAND, 5, {0, 15000, 30000, 45000, 60000}},
	{"Q04", MULTI, 15,
	 {0, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 7000, 9000}},
	{"Q05", SINGLE, 5, {0, 25000, 50000, 75000, 100000}},
	{"Q06", MULTI, 5, {0, 12500, 12500, 12500, 12500}},
	{"Q07", MULTI, 5, {0, 12500, 12500, 12500, 12500}},
	{"Q08", SINGLE, 6, {0, 15000, 30000, 45000, 60000, 75000}},
	{"Q09", MULTI, 5, {0, 18750, 18750, 18750, 18750}},
	{"Q10", MULTI, 6, {0, 15000, 15000, 15000, 15000, 15000}},
	{"Q11", BAND, 5, {0, 18750, 37500, 56250, 75000}},
	{"Q12", TREND, 3, {0, 35000, 70000}},
	{"Q13", TREND, 3, {0, 35000, 70000}},
	{"Q14", TREND, 3, {0, 15000, 30000}},
	{"Q15", TREND, 3, {0, 15000, 30000}},
};

/* Bands of Q02, Q03, Q11 in percent: option k is (lo, hi], the first [0, 10]. */
static const int BAND_LO[5] = {0, 10, 20, 40, 60}, BAND_HI[5] = {10, 20, 40, 60, 100};

/* Scenarios S01..S16; 1 = constraint (约束性). */
static const int CONSTRAINT[16] = {1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

/* The grades: score threshold (1/10000), and at least count scenarios at >= level, of which
 * at least constraint are constraint scenarios. Index = level. */
static const long MIN_SCORE[5] = {0, 200000, 400000, 600000, 800000};
static const int GATE_COUNT[5] = {0, 6, 6, 8, 10}, GATE_CONSTRAINT[5] = {0, 3, 3, 5, 6};

/* The score of question qi at step s: single and derived = option s; multi = s options past A. */
static long step_points(int qi, int s)
{
	const question *q = &Q[qi];
	if (q->kind != MULTI)
		return q->pts[s];
	long sum = 0;
	for (int k = 1; k <= s; k++)
		sum += q->pts[k];
	return sum;
}

/* --- exact checks, as engine/scoring/resolve.c computes them ------------------------------------------- */

/* Option of a band question for num/den × 100 percent (num, den > 0 share one unit). */
static int band_of(long long num, long long den)
{
	for (int k = 0; k < 5; k++) {
		long long v = num * 100; /* compare v/den with the bounds */
		int above_lo = k == 0 ? v >= BAND_LO[k] * den : v > BAND_LO[k] * den;
		int below_hi = v <= BAND_HI[k] * den;
		if (above_lo && below_hi)
			return k;
	}
	return -1;
}

/* Trend of a/b against c/e with a tolerance of 1 %: -1 down, 0 flat, +1 up. */
static int trend_of(long long a, long long b, long long c, long long e)
{
	if (c == 0)
		return a == 0 ? 0 : 1;
	long long diff = a * e - c * b, base = c * b;
	long long mag = diff < 0 ? -diff : diff;
	if (mag * 100 <= base)
		return 0;
	return diff > 0 ? 1 : -1;
}

/* --- text pools -------------------------------------------------------------------------------- */

typedef struct industry {
	const char *name;
	const char *products[3];
	const char *word; /* in the enterprise name */
} industry;

static const industry INDUSTRIES[] = {
	{"装备制造及零部件制造", {"光伏跟踪支架结构件", "农机传动零部件", "精密数控机加工件"}, "机械制造"},
	{"基础化学品制造", {"聚合氯化铝", "聚合硫酸铁", "工业级硫酸铝"}, "化工"},
	{"食品加工制造", {"枸杞干果", "清真牛羊肉制品", "黄花菜"}, "食品"},
	{"纺织服装", {"羊绒纱线", "针织面料", "工装服饰"}, "纺织"},
	{"燃料加工", {"兰炭", "煤焦油", "LNG"}, "能源科技"},
	{"新材料", {"电子级多晶硅", "碳化硅微粉", "锂电正极材料"}, "新材料"},
	{"电子信息制造", {"光伏逆变器", "工业传感器", "智能电表"}, "电子科技"},
};

static const char *const BRAND1[] = {"恒", "润", "瑞", "华", "鑫", "泰", "丰", "盛", "宏", "嘉",
				     "宁", "塞", "贺", "兰", "银", "朔", "吴", "弘", "锦", "祥"};
static const char *const BRAND2[] = {"锐", "泓", "达", "源", "通", "安", "德", "兴", "信", "和",
				     "诚", "远", "晟", "辉", "峰", "川", "海", "明", "新", "昌"};
static const char *const PLACES[] = {"宁夏红寺堡", "宁夏吴忠", "宁夏银川", "宁夏石嘴山", "宁夏中卫",
				     "宁夏固原", "宁夏灵武", "宁夏青铜峡"};
/* 行政区划码 and region text, in step. */
static const char *const DIVISIONS[] = {"640303", "640302", "640104", "640205", "640502",
					"640402", "640181", "640381"};
static const char *const REGIONS[] = {"宁夏回族自治区吴忠市红寺堡区", "宁夏回族自治区吴忠市利通区",
				      "宁夏回族自治区银川市兴庆区", "宁夏回族自治区石嘴山市惠农区",
				      "宁夏回族自治区中卫市沙坡头区", "宁夏回族自治区固原市原州区",
				      "宁夏回族自治区银川市灵武市", "宁夏回族自治区吴忠市青铜峡市"};
static const char *const ROADS[] = {"工业园区装备路", "太阳山镇化工园区环园路", "弘德工业园创业路",
				    "新材料产业园纬三路", "滨河大道", "清水河路", "红寺堡镇罗山路"};
static const char *const TAGS[] = {"专精特新中小企业", "高新技术企业", "科技型中小企业",
				   "创新型中小企业", "专精特新“小巨人”企业（培育对象）",
				   "自治区农业产业化重点龙头企业", "安全生产标准化二级企业"};
static const char *const ORGS[] = {"银川联创工业互联网科技有限公司（综合集成服务商）",
				   "宁夏云启数智科技有限公司（综合集成服务商）",
				   "吴忠市数源信息技术有限公司（综合集成服务商）"};
static const char *const EVALUATORS[] = {"宁夏数智工业评测中心有限公司（第三方评测机构）",
					 "西北工业互联网评测研究院（第三方评测机构）"};
static const char *const SURNAMES[] = {"王", "李", "张", "刘", "马", "杨", "田", "丁", "白", "韩",
				       "郑", "何", "苏", "金", "罗", "郭"};
static const char *const GIVEN[] = {"立新", "志强", "瑞", "晓燕", "海波", "建军", "雅琴", "志远",
				    "小龙", "文静", "国华", "春梅", "永刚", "丽娟", "鹏", "婷"};
static const char *const ROLES[] = {"诊断组长（正高级工程师）", "行业专家", "工业网络工程师",
				    "企业联络人（信息中心主任）", "评测员（数据核验）", "区工信局 现场监督"};
static const char *const EVIDENCE[] = {"网络拓扑图", "设备台账", "DCS/OPC 采集点位清单", "MES系统截图",
				       "ERP系统截图", "能源管理系统截图", "网络安全风险评估报告",
				       "数据安全管理制度文件", "培训签到表", "财务软件截图", "WMS出入库记录"};
static const char *const NOTES[] = {
	"生产工单、物料领用已在信息化系统中录入跟踪，与计划排程模块共享数据。",
	"关键设备运行参数实时采集，故障分析与OEE统计已上线，点巡检计划由系统下发。",
	"质量检验结果自动判定并报警，原材料至成品批次可追溯。",
	"能耗数据按车间实时采集，已开展装置级能耗分析与优化。",
	"销售订单与库存、财务系统打通，客户信息统一管理。",
	"采购需求、询比价与供应商评价在系统中闭环管理。"};
static const struct item_kind {
	const char *category;
	const char *text;
	long lo, hi; /* yuan */
} ITEMS[] = {
	{"software", "MES制造执行系统许可及实施", 80000, 260000},
	{"software", "设备预测性维护与OEE分析平台", 40000, 120000},
	{"software", "质量追溯系统（一物一码）", 30000, 90000},
	{"cloud", "工业互联网平台云服务（3年）", 20000, 80000},
	{"cloud", "云WMS及ERP接口服务（3年）", 15000, 50000},
	{"data-hardware", "边缘计算网关及数据采集模块", 30000, 120000},
	{"data-hardware", "智能电表及能耗采集终端", 20000, 70000},
	{"data-hardware", "工业交换机及无线AP", 15000, 60000},
	{"office-pc", "办公电脑", 8000, 30000},
	{"cabling", "车间光纤及弱电布线", 10000, 50000},
	{"it-operations", "IT运维服务（1年）", 8000, 20000},
	{"removable-storage", "移动硬盘", 1000, 5000},
	{"embedded-software", "PLC程序升级", 5000, 30000},
};

/* --- enterprise -------------------------------------------------------------------------------- */

static const char CODE_SET[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int WEIGHTS[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* A 统一社会信用代码: 9 1 (enterprise), a 行政区划码, a 9-character 主体标识码, the check character. */
static void credit_code(rng *r, const char *division, char out[19])
{
	snprintf(out, 19, "91%s", division);
	for (int i = 8; i < 17; i++)
		out[i] = CODE_SET[range(r, 0, 30)];
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(CODE_SET, out[i]) - CODE_SET) * WEIGHTS[i];
	out[17] = CODE_SET[(31 - sum % 31) % 31];
	out[18] = '\0';
}

typedef struct enterprise {
	char name[160], code[19], address[200], products[200], tags[400];
	const char *region, *industry;
	int scale_above; /* 规上 */
	long employees;
	long devices;      /* devices_total, the same before and after */
	long revenue_y0;   /* 万元, the year before last, and last year */
	long revenue_y1;
	long revenue_avg;
	int year;          /* of the diagnosis */
} enterprise;

static void make_enterprise(rng *r, unsigned long index, enterprise *e)
{
	int place = (int)range(r, 0, (long)(sizeof(PLACES) / sizeof(PLACES[0])) - 1);
	const industry *ind = &PICK(r, INDUSTRIES);
	e->industry = ind->name;
	e->region = REGIONS[place];
	snprintf(e->name, sizeof(e->name), "%s%s%s%s有限公司", PLACES[place], PICK(r, BRAND1),
		 PICK(r, BRAND2), ind->word);
	credit_code(r, DIVISIONS[place], e->code);
	snprintf(e->address, sizeof(e->address), "%s%s%ld号（企业 %lu）", REGIONS[place], PICK(r, ROADS),
		 range(r, 1, 199), index);
	snprintf(e->products, sizeof(e->products), "%s、%s", ind->products[range(r, 0, 1)], ind->products[2]);
	e->tags[0] = '\0';
	int ntags = (int)range(r, 0, 3), first = (int)range(r, 0, 6);
	for (int t = 0; t < ntags; t++) {
		size_t n = strlen(e->tags);
		snprintf(e->tags + n, sizeof(e->tags) - n, "<tag>%s</tag>", TAGS[(first + t * 3) % 7]);
	}
	e->scale_above = chance(r, 35);
	e->employees = e->scale_above ? range(r, 80, 900) : range(r, 12, 120);
	e->devices = e->scale_above ? range(r, 40, 400) : range(r, 8, 80);
	e->revenue_y0 = e->scale_above ? range(r, 2000, 60000) : range(r, 120, 1999);
	e->revenue_y1 = e->revenue_y0 * range(r, 88, 125) / 100;
	e->revenue_avg = (e->revenue_y0 + e->revenue_y1) / 2 + range(r, -50, 50);
	if (e->revenue_avg < 100)
		e->revenue_avg = 100;
	e->year = (int)range(r, 2024, 2025);
}

/* --- one sheet --------------------------------------------------------------------------------- */

typedef enum { BEFORE, AFTER } side;

typedef struct sheet_plan {
	int level;
	int step[15];      /* per question: option index, or number of options past A */
	int scenario[16];  /* 0..4 */
	int month, day;    /* assessment date, in e->year or the next year */
	int year;
} sheet_plan;

/* Scenario levels that meet the gate of `level` (and, by the score, no higher grade applies). */
static void plan_scenarios(rng *r, sheet_plan *p)
{
	int L = p->level;
	for (int s = 0; s < 16; s++) {
		int d = (int)range(r, 0, 99);
		int v = L + (d < 15 ? -1 : d < 75 ? 0 : 1);
		p->scenario[s] = v < 0 ? 0 : v > 4 ? 4 : v;
	}
	if (L == 0)
		return;
	for (;;) {
		int all = 0, con = 0;
		for (int s = 0; s < 16; s++)
			if (p->scenario[s] >= L) {
				all++;
				con += CONSTRAINT[s];
			}
		if (all >= GATE_COUNT[L] && con >= GATE_CONSTRAINT[L])
			return;
		int s = (int)range(r, 0, 15);
		if (p->scenario[s] < L && (con < GATE_CONSTRAINT[L] ? CONSTRAINT[s] : 1))
			p->scenario[s] = L;
	}
}

/* Steps whose total lies in the score band of `level` ([min, next min), 100 inclusive). */
static void plan_answers(rng *r, sheet_plan *p)
{
	int L = p->level;
	long lo = MIN_SCORE[L], hi = L == 4 ? 1000001 : MIN_SCORE[L + 1];
	long target = lo + range(r, 0, hi - lo - 1);
	long total = 0;
	for (int qi = 0; qi < 15; qi++) {
		int max = Q[qi].options - 1;
		int s = (int)((target * max + 500000) / 1000000) + (int)range(r, -1, 1);
		p->step[qi] = s < 0 ? 0 : s > max ? max : s;
		total += step_points(qi, p->step[qi]);
	}
	while (total < lo || total >= hi) {
		int qi = (int)range(r, 0, 14), max = Q[qi].options - 1;
		if (total < lo && p->step[qi] < max) {
			total += step_points(qi, p->step[qi] + 1) - step_points(qi, p->step[qi]);
			p->step[qi]++;
		} else if (total >= hi && p->step[qi] > 0) {
			total -= step_points(qi, p->step[qi]) - step_points(qi, p->step[qi] - 1);
			p->step[qi]--;
		}
	}
}

/* How a derived question is answered. */
typedef enum { BY_FIGURES, BY_FIGURES_CHECKED, BY_HAND, BY_VALUE } source;

typedef struct figures {
	/* each in tenths of its unit (one decimal), -1 when not given */
	long long v[15];
} figures;

enum { F_DEV_TOTAL, F_DEV_DIGITAL, F_DEV_NET, F_INVEST, F_REV_AVG, F_ENERGY_Y1, F_ENERGY_Y0,
       F_REV_Y1, F_REV_Y0, F_PASS_AFTER, F_PASS_BEFORE, F_EMP_Y1, F_EMP_Y0, F_COST_Y1, F_COST_Y0 };

static const char *const FIGURE_IDS[15] = {
	"devices_total", "devices_digital", "devices_networked", "digital_investment_avg", "revenue_avg",
	"energy_y1", "energy_y0", "revenue_y1", "revenue_y0", "pass_rate_after", "pass_rate_before",
	"employees_y1", "employees_y0", "cost_y1", "cost_y0"};
static const char *const FIGURE_LABELS[15] = {
	"生产设备数量（台）", "实现数字化的生产设备数量（台）", "实现联网的生产设备数量（台）",
	"近三年年均数字化投入（万元/年）", "近三年年均营业收入（万元）", "上年综合能源消费量（吨标准煤）",
	"前年综合能源消费量（吨标准煤）", "上年营业收入（万元）", "前年营业收入（万元）",
	"改造后月均产品合格率（%）", "改造前月均产品合格率（%）", "上年员工人数（人）", "前年员工人数（人）",
	"上年成本（万元）", "前年成本（万元）"};

/* A count of devices out of total whose share falls in band k (exactly). */
static long long devices_in_band(rng *r, long long total, int k)
{
	for (int tries = 0; tries < 200; tries++) {
		long pct = range(r, BAND_LO[k] * 10 + 5, BAND_HI[k] * 10); /* tenths of a percent */
		long long n = (total * pct + 500) / 1000;
		if (n <= total && band_of(n, total) == k)
			return n;
	}
	for (long long n = 0; n <= total; n++) /* small totals: search */
		if (band_of(n, total) == k)
			return n;
	return -1;
}

/* a/b against c/e gives trend t (-1, 0, +1): pick a (tenths) for given b, c, e. */
static long long trend_numerator(rng *r, long long b, long long c, long long e, int t)
{
	for (int tries = 0; tries < 200; tries++) {
		long change = t == 0 ? range(r, -6, 6) : t > 0 ? range(r, 20, 150) : -range(r, 20, 150);
		/* a = c/e × b × (1 + change/1000) */
		long long a = (c * b * (1000 + change) + e * 500) / (e * 1000);
		if (a > 0 && trend_of(a, b, c, e) == t)
			return a;
	}
	return -1;
}

/* The trend each trend question's option means (index = option). */
static const int TREND_OF_OPTION[4][3] = {
	{1, 0, -1},  /* Q12 energy per revenue: A up, B flat, C down */
	{-1, 0, 1},  /* Q13 pass rate: A down, B flat, C up */
	{-1, 0, 1},  /* Q14 revenue per employee */
	{1, 0, -1},  /* Q15 cost per revenue */
};

static void write_figure(buf *b, int f, long long tenths)
{
	if (tenths % 10 == 0)
		put(b, "    <figure id=\"%s\">%lld</figure>", FIGURE_IDS[f], tenths / 10);
	else
		put(b, "    <figure id=\"%s\">%lld.%lld</figure>", FIGURE_IDS[f], tenths / 10, tenths % 10);
	put(b, " <!-- %s -->\n", FIGURE_LABELS[f]);
}

static void write_sheet(rng *r, buf *b, const enterprise *e, side which, const sheet_plan *p,
			int self_check)
{
	static const char *const OPTION = "ABCDEFGHIJKLMNOP";
	put(b, "<answer-sheet questionnaire=\"miit-2024\" version=\"2024\">\n");
	put(b, "  <!-- 合成数据（bench/gen.c）: %s · %s · %s · 目标 %d 级 -->\n", e->industry,
	    e->scale_above ? "规上" : "规下", which == BEFORE ? "改造前" : "改造后", p->level);
	put(b, "  <enterprise>\n    <name>%s</name>\n    <credit-code>%s</credit-code>\n", e->name, e->code);
	put(b, "    <region>%s</region>\n    <address>%s</address>\n", e->region, e->address);
	put(b, "    <industry>%s</industry>\n    <scale>%s</scale>\n", e->industry,
	    e->scale_above ? "规上" : "规下");
	put(b, "    <employees>%ld</employees>\n    <main-products>%s</main-products>\n", e->employees,
	    e->products);
	if (e->tags[0])
		put(b, "    <tags>%s</tags>\n", e->tags);
	put(b, "  </enterprise>\n");

	const char *phase = which == AFTER ? "evaluation" : self_check ? "self-check" : "diagnosis";
	put(b, "  <assessment phase=\"%s\" date=\"%04d-%02d-%02d\">\n", phase, p->year, p->month, p->day);
	put(b, "    <organisation>%s</organisation>\n",
	    which == AFTER ? PICK(r, EVALUATORS) : self_check ? "企业自评" : PICK(r, ORGS));
	int assessors = (int)range(r, 1, 4);
	for (int i = 0; i < assessors; i++) {
		put(b, "    <assessor name=\"%s%s\" role=\"%s\"", PICK(r, SURNAMES), PICK(r, GIVEN), PICK(r, ROLES));
		if (i == 0)
			put(b, " contact=\"assessor%ld@example.com\"", range(r, 1, 999));
		put(b, "/>\n");
	}
	put(b, "  </assessment>\n");

	/* figures, then how each derived question is answered */
	figures f;
	source how[15];
	for (int i = 0; i < 15; i++)
		f.v[i] = -1;
	for (int qi = 0; qi < 15; qi++) {
		int d = (int)range(r, 0, 99);
		how[qi] = d < 70 ? BY_FIGURES : d < 80 ? BY_FIGURES_CHECKED : d < 92 ? BY_HAND : BY_VALUE;
	}
	/* Q02, Q03: devices */
	long long total = e->devices;
	f.v[F_DEV_TOTAL] = total * 10;
	if (how[1] != BY_HAND && how[1] != BY_VALUE)
		f.v[F_DEV_DIGITAL] = devices_in_band(r, total, p->step[1]) * 10;
	if (how[2] != BY_HAND && how[2] != BY_VALUE)
		f.v[F_DEV_NET] = devices_in_band(r, total, p->step[2]) * 10;
	/* Q11: investment (tenths of 万元) over average revenue */
	if (how[10] != BY_HAND && how[10] != BY_VALUE) {
		f.v[F_REV_AVG] = (long long)e->revenue_avg * 10;
		for (int tries = 0; tries < 200; tries++) {
			int k = p->step[10];
			long pct = range(r, BAND_LO[k] * 10 + 5, BAND_HI[k] * 10 - 5);
			long long inv = f.v[F_REV_AVG] * pct / 1000;
			if (inv > 0 && band_of(inv, f.v[F_REV_AVG]) == k) {
				f.v[F_INVEST] = inv;
				break;
			}
		}
		if (f.v[F_INVEST] < 0)
			how[10] = BY_HAND, f.v[F_REV_AVG] = -1;
	}
	/* Q12..Q15 */
	f.v[F_REV_Y0] = (long long)e->revenue_y0 * 10;
	f.v[F_REV_Y1] = (long long)e->revenue_y1 * 10;
	for (int t = 0; t < 4; t++) {
		int qi = 11 + t;
		if (how[qi] == BY_VALUE)
			how[qi] = BY_HAND; /* trend questions take no <value> */
		if (how[qi] == BY_HAND)
			continue;
		int want = TREND_OF_OPTION[t][p->step[qi]];
		long long got = -1;
		if (t == 0) { /* energy per revenue */
			long long e0 = f.v[F_REV_Y0] * range(r, 3, 40) / 100;
			got = trend_numerator(r, f.v[F_REV_Y1], e0, f.v[F_REV_Y0], want);
			if (got > 0)
				f.v[F_ENERGY_Y0] = e0, f.v[F_ENERGY_Y1] = got;
		} else if (t == 1) { /* pass rate, percent with one decimal */
			long long before = range(r, 850, 985);
			got = trend_numerator(r, 10, before, 10, want);
			if (got > 0 && got <= 1000)
				f.v[F_PASS_BEFORE] = before, f.v[F_PASS_AFTER] = got;
			else
				got = -1;
		} else if (t == 2) { /* revenue per employee: pick employees_y1 */
			long long n0 = e->employees * 10;
			for (int tries = 0; tries < 200 && got < 0; tries++) {
				long change = want == 0 ? range(r, -4, 4) : want > 0 ? range(r, 30, 150) : -range(r, 30, 150);
				long long n1 = (f.v[F_REV_Y1] * n0 * 1000 / (f.v[F_REV_Y0] * (1000 + change)) + 5) / 10 * 10;
				if (n1 > 0 && trend_of(f.v[F_REV_Y1], n1, f.v[F_REV_Y0], n0) == want)
					got = n1;
			}
			if (got > 0)
				f.v[F_EMP_Y0] = n0, f.v[F_EMP_Y1] = got;
		} else { /* cost per revenue */
			long long c0 = f.v[F_REV_Y0] * range(r, 60, 95) / 100;
			got = trend_numerator(r, f.v[F_REV_Y1], c0, f.v[F_REV_Y0], want);
			if (got > 0)
				f.v[F_COST_Y0] = c0, f.v[F_COST_Y1] = got;
		}
		if (got < 0)
			how[qi] = BY_HAND;
	}
	put(b, "  <figures>\n");
	for (int i = 0; i < 15; i++)
		if (f.v[i] >= 0)
			write_figure(b, i, f.v[i]);
	put(b, "  </figures>\n  <answers>\n");
	for (int qi = 0; qi < 15; qi++) {
		const question *q = &Q[qi];
		int s = p->step[qi];
		put(b, "    <answer question=\"%s\">\n", q->id);
		if (q->kind == MULTI) {
			if (s == 0) {
				put(b, "      <choose option=\"A\"/>\n");
			} else {
				/* s of the options B.., a random subset; below the maximum only among those worth
				 * as much as B (Q04's O is worth more), so the points are step_points() */
				int n = q->options - 1, left = s;
				while (s < n && q->pts[n] != q->pts[1])
					n--;
				for (int k = 0; k < n; k++)
					if (range(r, 0, n - k - 1) < left) {
						put(b, "      <choose option=\"%c\"/>\n", OPTION[k + 1]);
						left--;
					}
			}
		} else if (q->kind == SINGLE || how[qi] == BY_HAND || how[qi] == BY_FIGURES_CHECKED) {
			put(b, "      <choose option=\"%c\"/>\n", OPTION[s]);
		} else if (how[qi] == BY_VALUE) {
			/* a value well inside band s */
			long tenths = range(r, BAND_LO[s] * 10 + 5, BAND_HI[s] * 10);
			put(b, "      <value>%ld.%ld</value>\n", tenths / 10, tenths % 10);
		}
		if (chance(r, 20))
			put(b, "      <note>%s</note>\n", PICK(r, NOTES));
		int ev = chance(r, 40) ? (int)range(r, 1, 2) : 0;
		for (int i = 0; i < ev; i++)
			put(b, "      <evidence>%s</evidence>\n", PICK(r, EVIDENCE));
		put(b, "    </answer>\n");
	}
	put(b, "  </answers>\n  <scenarios>\n");
	for (int s = 0; s < 16; s++) {
		if (chance(r, 25)) {
			put(b, "    <scenario id=\"S%02d\" level=\"%d\">\n      <note>%s</note>\n", s + 1,
			    p->scenario[s], PICK(r, NOTES));
			put(b, "      <evidence>%s</evidence>\n    </scenario>\n", PICK(r, EVIDENCE));
		} else {
			put(b, "    <scenario id=\"S%02d\" level=\"%d\"/>\n", s + 1, p->scenario[s]);
		}
	}
	put(b, "  </scenarios>\n");
	if (which == AFTER) {
		/* completed 10..20 days before the evaluation, applied 1..9 days after completion */
		int completed = p->day - (int)range(r, 10, 20), month = p->month, year = p->year;
		if (completed < 1) {
			completed += 28;
			if (--month < 1)
				month = 12, year--;
		}
		int applied = completed + (int)range(r, 1, 9), amonth = month, ayear = year;
		if (applied > 28) {
			applied -= 28;
			if (++amonth > 12)
				amonth = 1, ayear++;
		}
		put(b, "  <retrofit attempt=\"%d\">\n", chance(r, 8) ? 2 : 1);
		put(b, "    <contract>中小企业数字化改造合同 SZGZ-%04d-%03ld</contract>\n", year, range(r, 1, 999));
		put(b, "    <provider>%s</provider>\n", PICK(r, ORGS));
		put(b, "    <scope>生产管控、设备管理、能耗管理与质量追溯的数字化改造；数据采集与系统集成。</scope>\n");
		put(b, "    <completed>%04d-%02d-%02d</completed>\n", year, month, completed);
		put(b, "    <applied>%04d-%02d-%02d</applied>\n", ayear, amonth, applied);
		put(b, "    <investment>\n");
		int items = (int)range(r, 3, 10);
		for (int i = 0; i < items; i++) {
			const struct item_kind *it = &PICK(r, ITEMS);
			put(b, "      <item category=\"%s\" amount=\"%ld.%02ld\">%s</item>\n", it->category,
			    range(r, it->lo, it->hi), range(r, 0, 99), it->text);
		}
		put(b, "    </investment>\n  </retrofit>\n");
	}
	put(b, "</answer-sheet>\n");
}

/* --- main -------------------------------------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: gen [-s SEED] -n SHEETS [-d DIR] [-o STREAM [-p PART]] [-l]\n", stderr);
	exit(2);
}

static void write_file(const char *path, const buf *b)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 1, 39, f) != 39 ||
	    fwrite(b->data, 1, b->len, f) != b->len || fclose(f) != 0) {
		fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
		exit(3);
	}
}

/* Level before, then level after (never lower). */
static void pick_levels(rng *r, int *before, int *after)
{
	static const int dist[] = {0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4}; /* 17 */
	*before = dist[range(r, 0, 16)];
	int up = (int)range(r, 0, 99);
	*after = *before + (up < 20 ? 0 : up < 75 ? 1 : 2);
	if (*after > 4)
		*after = 4;
}

/* The stream being written: one file, or parts of `part` sheets each (0: one file). */
typedef struct stream_out {
	const char *name;
	long part, in_part;
	int parts;
	FILE *f;
	char path[4096];
	unsigned long long seed;
	long sheets;
} stream_out;

static void stream_close(stream_out *s)
{
	if (!s->f)
		return;
	if (fputs("</answer-sheets>\n", s->f) < 0 || fclose(s->f) != 0) {
		fprintf(stderr, "gen: cannot write %s: %s\n", s->path, strerror(errno));
		exit(3);
	}
	s->f = NULL;
}

static void stream_write(stream_out *s, const buf *b)
{
	if (s->f && s->part && s->in_part == s->part)
		stream_close(s);
	if (!s->f) {
		if (s->part) { /* NAME.xml -> NAME-0001.xml */
			size_t n = strlen(s->name);
			int stem = (int)(n > 4 && strcmp(s->name + n - 4, ".xml") == 0 ? n - 4 : n);
			snprintf(s->path, sizeof(s->path), "%.*s-%04d.xml", stem, s->name, ++s->parts);
		} else {
			snprintf(s->path, sizeof(s->path), "%s", s->name);
		}
		s->f = fopen(s->path, "wb");
		if (!s->f) {
			fprintf(stderr, "gen: cannot write %s: %s\n", s->path, strerror(errno));
			exit(3);
		}
		fprintf(s->f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<!-- synthetic answer sheets (bench/gen.c -s %llu -n %ld) -->\n<answer-sheets>\n",
			s->seed, s->sheets);
		s->in_part = 0;
	}
	if (fwrite(b->data, 1, b->len, s->f) != b->len) {
		fprintf(stderr, "gen: cannot write %s: %s\n", s->path, strerror(errno));
		exit(3);
	}
	s->in_part++;
}

int main(int argc, char **argv)
{
	unsigned long long seed = 20241;
	long sheets = -1, part = 0;
	const char *dir = NULL, *stream = NULL;
	int list = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			sheets = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-p") == 0 && i + 1 < argc)
			part = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			stream = argv[++i];
		else if (strcmp(argv[i], "-l") == 0)
			list = 1;
		else
			usage();
	}
	if (sheets < 1 || part < 0 || (!dir && !stream && !list))
		usage();
	part += part % 2; /* a pair never straddles two parts */
	stream_out out = {stream, part, 0, 0, NULL, "", seed, sheets};
	static buf b;
	char path[4096];
	for (long done = 0, e = 1; done < sheets; e++) {
		rng r = {seed * 0x100000001B3ull ^ (unsigned long long)e * 0x9E3779B97F4A7C15ull};
		next64(&r);
		enterprise ent;
		make_enterprise(&r, (unsigned long)e, &ent);
		sheet_plan plan[2];
		pick_levels(&r, &plan[0].level, &plan[1].level);
		int self_check = chance(&r, 5);
		plan[0].year = ent.year;
		plan[0].month = (int)range(&r, 1, 9);
		plan[0].day = (int)range(&r, 1, 28);
		plan[1].year = ent.year + 1;
		plan[1].month = (int)range(&r, 3, 12);
		plan[1].day = (int)range(&r, 1, 28);
		for (int sd = 0; sd < 2 && done < sheets; sd++, done++) {
			plan_scenarios(&r, &plan[sd]);
			plan_answers(&r, &plan[sd]);
			b.len = 0;
			write_sheet(&r, &b, &ent, sd ? AFTER : BEFORE, &plan[sd], self_check);
			if (stream)
				stream_write(&out, &b);
			if (dir) {
				snprintf(path, sizeof(path), "%s/e%06ld-%d-%s.xml", dir, e, sd + 1,
					 sd ? "after" : "before");
				write_file(path, &b);
			}
			if (list)
				printf("e%06ld %s %d\n", e, sd ? "after" : "before", plan[sd].level);
		}
	}
	stream_close(&out);
	return 0;
}
