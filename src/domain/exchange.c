/*
 * exchange.c: the table of legacy exchange adapters (exchange.h).
 */
#include "config.h"

#include <string.h>

#include "exchange.h"

const char *const oms_xresult_names[OMS_X__MAX] = {
	"answered", /* OMS_X_ANSWERED */
	"rejected", /* OMS_X_REJECTED */
	"retry",    /* OMS_X_RETRY */
	"unknown",  /* OMS_X_UNKNOWN */
	"waiting",  /* OMS_X_WAITING */
};

/*
 * The adapter whose name is name, or NULL when there is none by that
 * name.  Static data: nothing to free.
 */
const struct oms_adapter_ops *
oms_adapter_lookup(const char *name)
{
	const struct oms_adapter_ops *all[] = {
		&oms_adapter_soap, &oms_adapter_filedrop, &oms_adapter_smtp,
	};

	for (size_t i = 0; i < OMS_NELEM(all); i++)
		if (all[i] != NULL && strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
