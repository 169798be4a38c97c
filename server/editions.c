/*
 * editions.c: what the server loads once at start and shares read-only between its threads: every
 * questionnaire edition in the questionnaires folder, every policy and targets file in the
 * policies folder (each file recognised by its root element), and the lookups handlers use.
 *
 * Loading them once makes a request independent of the disk, and a broken file is reported when
 * the server starts, not to the first person who needs it.
 */
#include "editions.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The .xml files of dir, sorted, so that the first policy is the same on every start. */
static int list_xml(const char *dir, char ***names, size_t *count, dl_error *err)
{
	*names = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err->message, sizeof err->message, _("cannot open the folder %s"), dir);
		return DL_EIO;
	}
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0 || e->d_name[0] == '.')
			continue;
		if (*count == cap) {
			char **grown = realloc(*names, (cap = cap ? cap * 2 : 16) * sizeof **names);
			if (!grown) {
				rc = DL_ENOMEM;
				break;
			}
			*names = grown;
		}
		if (!((*names)[*count] = strdup(e->d_name)))
			rc = DL_ENOMEM;
		else
			(*count)++;
	}
	closedir(d);
	for (size_t i = 1; i < *count; i++)
		for (size_t j = i; j > 0 && strcmp((*names)[j - 1], (*names)[j]) > 0; j--) {
			char *t = (*names)[j];
			(*names)[j] = (*names)[j - 1];
			(*names)[j - 1] = t;
		}
	return rc;
}

static void free_names(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Grow an array of elements of size each by one; returns the new element or NULL. */
static void *push(void **array, size_t *count, size_t size)
{
	char *grown = realloc(*array, (*count + 1) * size);
	if (!grown)
		return NULL;
	*array = grown;
	memset(grown + *count * size, 0, size);
	return grown + (*count)++ * size;
}

static int load_questionnaires(srv *s, dl_error *err)
{
	char **names;
	size_t count;
	int rc = list_xml(s->cfg.questionnaires_dir, &names, &count, err);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		char root[64], *path = join(s->cfg.questionnaires_dir, names[i]);
		if (!path) {
			rc = DL_ENOMEM;
			break;
		}
		if (dl_document_root(path, root, sizeof root, err) == 0 && strcmp(root, "questionnaire") == 0) {
			dl_questionnaire *q = NULL;
			srv_edition *e;
			if ((rc = dl_questionnaire_load(&q, path, NULL, err)) == 0 &&
			    !(e = push((void **)&s->editions, &s->edition_count, sizeof *e))) {
				dl_questionnaire_free(q);
				rc = DL_ENOMEM;
			} else if (rc == 0) {
				e->q = q;
				e->file = path;
				path = NULL;
			}
		}
		free(path);
	}
	free_names(names, count);
	if (rc == 0 && s->edition_count == 0) {
		snprintf(err->message, sizeof err->message, _("no questionnaire in the folder %s"),
			 s->cfg.questionnaires_dir);
		rc = DL_ENOTFOUND;
	}
	return rc;
}

static int load_policies(srv *s, dl_error *err)
{
	char **names;
	size_t count;
	int rc = list_xml(s->cfg.policies_dir, &names, &count, err);
	for (size_t i = 0; rc == 0 && i < count; i++) {
		char root[64], *path = join(s->cfg.policies_dir, names[i]);
		if (!path) {
			rc = DL_ENOMEM;
			break;
		}
		if (dl_document_root(path, root, sizeof root, err) != 0) {
			/* not ours (README.md is not listed; another XML file is skipped) */
		} else if (strcmp(root, "policy") == 0) {
			dl_policy *p = NULL;
			srv_policy *e;
			if ((rc = dl_policy_load(&p, path, NULL, err)) == 0 &&
			    !(e = push((void **)&s->policies, &s->policy_count, sizeof *e))) {
				dl_policy_free(p);
				rc = DL_ENOMEM;
			} else if (rc == 0) {
				e->policy = p;
				e->file = path;
				path = NULL;
			}
		} else if (strcmp(root, "targets") == 0) {
			dl_targets *t = NULL;
			srv_targets *e;
			if ((rc = dl_targets_load(&t, path, NULL, err)) == 0 &&
			    !(e = push((void **)&s->targets, &s->targets_count, sizeof *e))) {
				dl_targets_free(t);
				rc = DL_ENOMEM;
			} else if (rc == 0) {
				e->targets = t;
				e->file = path;
				path = NULL;
			}
		}
		free(path);
	}
	free_names(names, count);
	return rc;
}

int srv_editions_load(srv *s, dl_error *err)
{
	int rc = load_questionnaires(s, err);
	if (rc == 0 && s->cfg.policies_dir)
		rc = load_policies(s, err);
	return rc;
}

void srv_editions_free(srv *s)
{
	for (size_t i = 0; i < s->edition_count; i++) {
		dl_questionnaire_free(s->editions[i].q);
		free(s->editions[i].file);
	}
	for (size_t i = 0; i < s->policy_count; i++) {
		dl_policy_free(s->policies[i].policy);
		free(s->policies[i].file);
	}
	for (size_t i = 0; i < s->targets_count; i++) {
		dl_targets_free(s->targets[i].targets);
		free(s->targets[i].file);
	}
	free(s->editions);
	free(s->policies);
	free(s->targets);
	s->editions = NULL;
	s->policies = NULL;
	s->targets = NULL;
	s->edition_count = s->policy_count = s->targets_count = 0;
}

const dl_questionnaire *srv_edition_find(const srv *s, const char *id, const char *version)
{
	for (size_t i = 0; i < s->edition_count; i++) {
		const dl_questionnaire *q = s->editions[i].q;
		if (id && strcmp(dl_questionnaire_id(q), id) == 0 &&
		    (!version || strcmp(dl_questionnaire_version(q), version) == 0))
			return q;
	}
	return NULL;
}

const dl_policy *srv_policy_find(const srv *s, const char *id)
{
	for (size_t i = 0; i < s->policy_count; i++)
		if (!id || !*id || strcmp(dl_policy_id(s->policies[i].policy), id) == 0)
			return s->policies[i].policy;
	return NULL;
}

const dl_targets *srv_targets_find(const srv *s, const char *id)
{
	for (size_t i = 0; i < s->targets_count; i++)
		if (!id || !*id || strcmp(dl_targets_id(s->targets[i].targets), id) == 0)
			return s->targets[i].targets;
	return NULL;
}
