/*
 * fuzz_field.c: libFuzzer target for the query and form decoder
 * (oms_fields_parse in src/core/field.c) with the field table.
 *
 * Input: the first four bytes pick which keys the "route" accepts
 * (a bitmask over enum oms_key); the rest is the urlencoded string,
 * exactly as long as libFuzzer made it (no NUL), so ASan sees a read
 * one past its end.  Invariants checked on every input:
 *   - a refusal leaves a non-empty, NUL-terminated message;
 *   - an accepted field passed its validator: integers within bounds,
 *     enum values one of the choices, text valid UTF-8 within its
 *     length, repeatable fields with a list of values within bounds;
 *   - oms_url_encode of an accepted text value, parsed again as
 *     "name=<encoded>", gives the same value back.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "field.h"
#include "oms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The arena, kept across inputs as a worker keeps its own. */
static struct oms_arena *arena;

/* Stop the run with a report: an invariant did not hold. */
#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/*
 * Check one accepted field k against its declaration; traps when it
 * breaks an invariant.
 */
static void
check_field(enum oms_key k, const struct oms_field *f)
{
	const struct oms_keydef *d = &oms_keys[k];
	struct oms_fields again;
	const char *enc, *q;

	if (!f->present)
		return;
	switch (d->valid) {
	case OMS_VALID_INT:
		CHECK(f->i >= d->min && f->i <= d->max);
		if (d->multi) {
			CHECK(f->nlist >= 1 && f->nlist <= OMS_MULTI_MAX);
			for (size_t i = 0; i < f->nlist; i++)
				CHECK(f->list[i] >= d->min && f->list[i] <= d->max);
		}
		break;
	case OMS_VALID_ENUM:
		CHECK(f->i >= 0 && d->choices[f->i] != NULL);
		CHECK(strcmp(d->choices[f->i], f->s) == 0);
		break;
	case OMS_VALID_TEXT: {
		long chars = oms_utf8_check(f->s, strlen(f->s), 0);

		CHECK(chars > 0 && (size_t)chars <= d->maxlen);
		/* Round trip: encode, parse again, same text. */
		enc = oms_url_encode(arena, f->s);
		CHECK(enc != NULL);
		q = oms_arena_printf(arena, "%s=%s", d->name, enc);
		CHECK(q != NULL);
		CHECK(oms_fields_parse(arena, q, strlen(q), OMS_KEYBIT(k),
		    &again) == OMS_OK);
		CHECK(again.f[k].present && strcmp(again.f[k].s, f->s) == 0);
		break;
	}
	default:
		CHECK(0);
	}
}

/* libFuzzer's entry: parse one input and check the result. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oms_fields out;
	uint32_t allowed;
	enum oms_err e;

	if (size < 4)
		return 0;
	if (arena == NULL) {
		oms_log_set_level(OMS_LOG_ERR);
		if ((arena = oms_arena_new()) == NULL)
			abort();
	}
	memcpy(&allowed, data, 4);
	/* The mask names keys below 32 only (the rest are never allowed). */
	allowed &= OMS_KEY__MAX >= 32 ? UINT32_MAX :
	    (UINT32_C(1) << (OMS_KEY__MAX % 32)) - 1;
	e = oms_fields_parse(arena, (const char *)data + 4, size - 4, allowed,
	    &out);
	if (e != OMS_OK) {
		CHECK(e == OMS_ERR_INVAL);
		CHECK(out.err[0] != '\0' && memchr(out.err, '\0',
		    sizeof(out.err)) != NULL);
	} else
		for (enum oms_key k = 0; k < OMS_KEY__MAX; k++) {
			CHECK(out.f[k].present == 0 ||
			    (k < 32 && (allowed & OMS_KEYBIT(k)) != 0));
			check_field(k, &out.f[k]);
		}
	oms_arena_reset(arena);
	return 0;
}
