/*
 * users.h: managing accounts (the admin pages and omsctl user).  Every
 * change is one unit of work together with its audit record.
 */
#ifndef OMS_USERS_H
#define OMS_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "oms.h"

struct oms_arena;
struct oms_store;

/* What a form or the command line gives for an account. */
struct oms_user_input {
	const char *login;        /* create only */
	const char *display_name;
	const char *email;
	int role;                 /* enum oms_role */
	const char *organisation;
	int64_t customer;         /* customer role only */
	const int64_t *sites;     /* customer role: limit to these, or none */
	size_t nsites;
	const char *password;     /* create only */
	int demo;                 /* seed-demo only: skip the password rules */
	int approver;             /* customer role: approves its customer's
	                           * orders (workflow.h); ignored otherwise */
	const char *system;       /* integration role, create only: the
	                           * system it speaks for (vendor, finance) */
	const char *operations;   /* integration role, create only: its
	                           * operations, "A,B" or "*" (NULL: all) */
};

/* OMS_ERR_INVAL with *why for a bad input; OMS_ERR_CONSTRAINT when the
 * login is taken. */
enum oms_err oms_user_create(struct oms_store *, struct oms_arena *,
    const struct oms_actor *, const struct oms_user_input *, int64_t *id,
    const char **why);
enum oms_err oms_user_update(struct oms_store *, struct oms_arena *,
    const struct oms_actor *, int64_t id, const struct oms_user_input *,
    const char **why);
/* Disabling also ends the account's sessions. */
enum oms_err oms_user_set_disabled(struct oms_store *, struct oms_arena *,
    const struct oms_actor *, int64_t id, int disabled);
/* Ends the account's sessions too. */
enum oms_err oms_user_set_password(struct oms_store *, struct oms_arena *,
    const struct oms_actor *, int64_t id, const char *password,
    const char **why);
enum oms_err oms_user_list(struct oms_store *, struct oms_arena *,
    struct oms_user **out, size_t *n);
/* With its sites.  OMS_ERR_NOTFOUND when there is none. */
enum oms_err oms_user_get(struct oms_store *, struct oms_arena *, int64_t id,
    struct oms_user *out);
/* The id of a login, or OMS_ERR_NOTFOUND. */
enum oms_err oms_user_find(struct oms_store *, const char *login, int64_t *id);

#endif /* OMS_USERS_H */
