/*
 * json_list.c: a list of records on a stream as a JSON array, one object a line, as `digilevel
 * user list` and `digilevel audit list` write theirs with --format json (cli.h, cli_json_list).
 */
#include "cli.h"

void cli_json_list_start(cli_json_list *l, FILE *f)
{
	l->f = f;
	l->objects = 0;
	l->first_field = true;
	fputc('[', f);
}

void cli_json_object_start(cli_json_list *l)
{
	fputs(l->objects ? ",\n {" : "\n {", l->f);
	l->objects++;
	l->first_field = true;
}

/* "name": (after ", " unless it is the object's first field) */
static void field_name(cli_json_list *l, const char *name)
{
	fprintf(l->f, "%s\"%s\": ", l->first_field ? "" : ", ", name);
	l->first_field = false;
}

void cli_json_string(cli_json_list *l, const char *name, const char *value)
{
	field_name(l, name);
	fputc('"', l->f);
	for (const char *s = value; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(l->f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(l->f, "\\u%04x", c);
		else
			fputc(c, l->f);
	}
	fputc('"', l->f);
}

void cli_json_int(cli_json_list *l, const char *name, long long value)
{
	field_name(l, name);
	fprintf(l->f, "%lld", value);
}

void cli_json_bool(cli_json_list *l, const char *name, bool value)
{
	field_name(l, name);
	fputs(value ? "true" : "false", l->f);
}

void cli_json_object_end(cli_json_list *l)
{
	fputc('}', l->f);
}

void cli_json_list_end(cli_json_list *l)
{
	fputs(l->objects ? "\n]\n" : "]\n", l->f);
}
