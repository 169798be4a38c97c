/*
 * test_buffer.c: the growing text in memory (engine/base/buffer.h): appends, printf past its small
 * stack copy, the dl_write_fn adaptor, and a failed allocation that stays failed.
 */
#include "alloc.h"
#include "buffer.h"
#include "test_util.h"

#include <string.h>

int main(void)
{
	dl__buffer b = DL__BUFFER_INIT;
	dl__buffer_str(&b, "数据");
	dl__buffer_add(&b, "ab\0cd", 5);
	check(b.len == 11 && memcmp(b.data, "数据ab\0cd", 11) == 0 && b.data[11] == '\0' && !b.failed,
	      "appends keep every byte, NUL-terminated");

	char big[1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	dl__buffer_printf(&b, "[%s|%d]", big, 42);
	check(b.len == 11 + 1 + 999 + 4 && strcmp(b.data + b.len - 4, "|42]") == 0 && b.data[12] == 'x',
	      "printf longer than its stack copy is written whole");

	size_t len = b.len;
	int refused = 0;
	for (int i = 0; i < 5000; i++)
		refused += dl__buffer_write(&b, "0123456789", 10) != 0;
	check(refused == 0 && b.len == len + 50000 && b.cap > b.len &&
		      memcmp(b.data + b.len - 10, "0123456789", 10) == 0,
	      "the dl_write_fn appends and grows the buffer");
	dl__buffer_free(&b);
	check(b.data == NULL && b.len == 0 && b.cap == 0 && !b.failed, "freed: empty and usable again");

	dl__alloc_fail_after(0); /* every allocation fails from now on */
	dl__buffer_str(&b, "x");
	int rc = dl__buffer_write(&b, "y", 1);
	dl__alloc_fail_after(-1);
	dl__buffer_str(&b, "z"); /* memory again: the buffer stays failed */
	check(b.failed && rc == -1 && b.len == 0 && b.data == NULL,
	      "a failed allocation is remembered: the write says so, later appends do nothing");
	dl__buffer_free(&b);
	return test_done();
}
