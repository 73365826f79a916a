/*
 * stmts.c: the one statement table, gathered from every module's list
 * (stmts.h).  One entry an enum oms_stmt constant, in its order.
 */
#include "config.h"

#include <stddef.h>

#include "stmts.h"

static const struct oms_stmtdef defs[OMS_STMT__MAX] = {
	OMS_STMTS_STORE(OMS_STMT_DEF)
	OMS_STMTS_DOMAIN(OMS_STMT_DEF)
};

const struct oms_stmt_table oms_stmt_table = {defs, OMS_STMT__MAX};
