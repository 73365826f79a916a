/*
 * test_field.c: request fields (src/core/field.c): urlencoded parsing
 * against the key table, the INT, ENUM and TEXT validators, UTF-8
 * checking and URL encoding.
 *
 * Each test point checks one behaviour; negative cases say "bad".
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "field.h"
#include "oms.h"
#include "../tap.h"

#define BIT(k) OMS_KEYBIT(OMS_KEY_##k)

static struct oms_arena *arena;
static struct oms_fields fl;
/* Every key, ended by OMS_KEY__MAX (filled in by main): there are more
 * keys than the 32 bits of a key mask. */
static enum oms_key all[OMS_KEY__MAX + 1];
#define ALL_PARSE(qs, len) oms_fields_parse_keys(arena, qs, len, all, &fl)

/* Parse the NUL-terminated qs accepting every key.  The result is in fl. */
static enum oms_err
parse(const char *qs)
{
	return ALL_PARSE(qs, strlen(qs));
}

/* 1 when qs parses and key k is present with decoded text want. */
static int
parses_to(const char *qs, enum oms_key k, const char *want)
{
	return parse(qs) == OMS_OK && fl.f[k].present && fl.f[k].s != NULL &&
	    strcmp(fl.f[k].s, want) == 0;
}

/* 1 when qs parses and INT key k has value want. */
static int
int_is(const char *qs, enum oms_key k, int64_t want)
{
	return parse(qs) == OMS_OK && fl.f[k].present && fl.f[k].i == want;
}

/* 1 when qs is refused with OMS_ERR_INVAL and a message. */
static int
refused(const char *qs)
{
	return parse(qs) == OMS_ERR_INVAL && fl.err[0] != '\0';
}

/* "q=" followed by n copies of unit. */
static char *
repeat_q(const char *unit, int n)
{
	size_t u = strlen(unit);
	char *s = malloc(2 + u * (size_t)n + 1), *p = s;

	memcpy(p, "q=", 2);
	p += 2;
	for (int i = 0; i < n; i++, p += u)
		memcpy(p, unit, u);
	*p = '\0';
	return s;
}

static void
test_decoding(void)
{
	ok(parses_to("q=a%20b", OMS_KEY_Q, "a b"), "percent escape decodes");
	ok(parses_to("q=%41%6a%6A", OMS_KEY_Q, "Ajj"),
	    "percent escape accepts upper and lower case hex");
	ok(parses_to("q=a+b", OMS_KEY_Q, "a b"), "'+' decodes to a space");
	ok(parses_to("q=a%2Bb", OMS_KEY_Q, "a+b"), "%%2B decodes to a literal '+'");
	ok(parses_to("q=%26%3D", OMS_KEY_Q, "&="),
	    "escaped '&' and '=' are data, not separators");
	ok(parses_to("q=a=b", OMS_KEY_Q, "a=b"),
	    "a second '=' belongs to the value");
	ok(parses_to("q=%C3%A9t%C3%A9", OMS_KEY_Q, "\xc3\xa9t\xc3\xa9"),
	    "escaped UTF-8 decodes to UTF-8");
	ok(parses_to("q=\xc3\xa9", OMS_KEY_Q, "\xc3\xa9"),
	    "raw UTF-8 bytes pass through");
}

static void
test_absent_and_trim(void)
{
	ok(parse("type=") == OMS_OK && !fl.f[OMS_KEY_TYPE].present,
	    "empty value counts as absent");
	ok(parse("type") == OMS_OK && !fl.f[OMS_KEY_TYPE].present,
	    "name without '=' counts as absent");
	ok(parse("q=+%20+") == OMS_OK && !fl.f[OMS_KEY_Q].present,
	    "value of only spaces counts as absent");
	ok(parse("") == OMS_OK && !fl.f[OMS_KEY_Q].present &&
	    fl.err[0] == '\0', "empty query string parses to nothing");
	ok(parses_to("q=++ab+c++", OMS_KEY_Q, "ab c"),
	    "TEXT is trimmed at both ends, inner space kept");
	ok(parses_to("type=%20line%20", OMS_KEY_TYPE, "line"),
	    "ENUM is trimmed before matching");
	ok(int_is("page=%20%207%20", OMS_KEY_PAGE, 7),
	    "INT is trimmed before parsing");
	ok(int_is("page=+5", OMS_KEY_PAGE, 5),
	    "INT page=+5 is ' 5' (a '+' is a space), trimmed to 5");
}

static void
test_int(void)
{
	ok(int_is("page=1", OMS_KEY_PAGE, 1), "page=1 (lower bound) ok");
	ok(int_is("page=1000000", OMS_KEY_PAGE, 1000000),
	    "page=1000000 (upper bound) ok");
	ok(refused("page=0"), "page=0 bad: below the bound");
	ok(refused("page=1000001"), "page=1000001 bad: above the bound");
	is_str(fl.err, "field 'page': must be a whole number from 1 to 1000000",
	    "INT bad message names the field and its bounds");
	ok(refused("per=9"), "per=9 bad: per starts at 10");
	ok(int_is("per=500", OMS_KEY_PER, 500), "per=500 ok");
	ok(refused("page=%2B5"), "page='+5' bad: leading sign");
	ok(refused("page=-5"), "page=-5 bad: leading '-'");
	ok(refused("cc=-0"), "cc=-0 bad: leading '-'");
	ok(int_is("cc=2147483647", OMS_KEY_CC, INT32_MAX), "cc=INT32_MAX ok");
	ok(refused("cc=2147483648"), "cc=INT32_MAX+1 bad");
	ok(refused("cc=999999999999999999"), "cc 18 digits bad: above max");
	ok(refused("cc=1000000000000000000"), "cc 19 digits bad");
	ok(refused("cc=99999999999999999999999"),
	    "cc 23 digits bad (no overflow into range)");
	ok(refused("cc=18446744073709551617"),
	    "cc 2^64+1 bad (would wrap to 1)");
	ok(int_is("page=007", OMS_KEY_PAGE, 7), "page=007 is 7");
	ok(refused("page=1a"), "page=1a bad: non-digit");
	ok(refused("page=abc"), "page=abc bad: non-digits");
	ok(refused("page=1.0"), "page=1.0 bad: decimal point");
	ok(refused("page=0x10"), "page=0x10 bad: hex");
	ok(refused("page=1+2"), "page=1+2 bad: inner space");
	ok(refused("page=1%002"), "page with %%00 bad");
	ok(refused("page=%EF%BC%95"), "page with a fullwidth digit bad");
}

static void
test_enum(void)
{
	ok(parse("type=line") == OMS_OK && fl.f[OMS_KEY_TYPE].present &&
	    fl.f[OMS_KEY_TYPE].i == 0 &&
	    strcmp(fl.f[OMS_KEY_TYPE].s, "line") == 0,
	    "ENUM type=line gives index 0 and its name");
	ok(parse("sort=ports&dir=desc") == OMS_OK &&
	    fl.f[OMS_KEY_SORT].i == 7 && fl.f[OMS_KEY_DIR].i == 1,
	    "ENUM sort=ports is index 7, dir=desc is 1");
	ok(parse("format=csv") == OMS_OK && fl.f[OMS_KEY_FORMAT].i == 2,
	    "ENUM format=csv is index 2");
	ok(refused("type=lin"), "type=lin bad: a prefix");
	is_str(fl.err, "field 'type': must be one of line, set, mailbox",
	    "ENUM bad message lists the choices");
	ok(refused("type=LINE"), "type=LINE bad: case matters");
	ok(refused("type=lines"), "type=lines bad: longer");
	ok(refused("status=removedx"), "status=removedx bad");
	ok(strstr(fl.err, "pending, active, suspended, removed") != NULL,
	    "ENUM bad message for status lists all four");
	ok(refused("sort=bogus"), "sort=bogus bad");
	ok(strstr(fl.err, "number") && strstr(fl.err, "product"),
	    "ENUM bad message for sort lists first and last choice");
	ok(refused("format=html%00.xsl"), "%s",
	    "format=html%00.xsl bad: NUL inside an ENUM value");
}

static void
test_text(void)
{
	char *s;

	s = repeat_q("%C3%A9", 100);
	ok(parse(s) == OMS_OK && fl.f[OMS_KEY_Q].present &&
	    strlen(fl.f[OMS_KEY_Q].s) == 200,
	    "TEXT 100 x U+00E9 (200 bytes) ok: the limit counts characters");
	free(s);
	s = repeat_q("%C3%A9", 101);
	ok(refused(s), "TEXT 101 x U+00E9 bad");
	is_str(fl.err, "field 'q': must be at most 100 characters",
	    "TEXT length message names the field and limit");
	free(s);
	s = repeat_q("x", 100);
	ok(parse(s) == OMS_OK && fl.f[OMS_KEY_Q].present, "TEXT 100 x 'x' ok");
	free(s);
	s = repeat_q("x", 101);
	ok(refused(s), "TEXT 101 x 'x' bad");
	free(s);
	s = repeat_q("%F0%9F%98%80", 100);
	ok(parse(s) == OMS_OK, "TEXT 100 x U+1F600 (400 bytes) ok");
	free(s);
	s = repeat_q("%20", 200);
	ok(parse(s) == OMS_OK && !fl.f[OMS_KEY_Q].present,
	    "TEXT 200 spaces are trimmed to absent, not too long");
	free(s);

	ok(parse("q=%EF%BF%BD") == OMS_OK, "TEXT U+FFFD ok");
	ok(parse("q=%F4%8F%BF%BF") == OMS_OK, "TEXT U+10FFFF ok");
	ok(parse("q=%E2%82%AC") == OMS_OK, "TEXT U+20AC (3 bytes) ok");
	ok(parse("q=%ED%9F%BF") == OMS_OK, "TEXT U+D7FF (below surrogates) ok");
	ok(parse("q=%EE%80%80") == OMS_OK, "TEXT U+E000 (above surrogates) ok");

	ok(refused("q=%C0%AF"), "TEXT overlong 2-byte '/' bad");
	is_str(fl.err, "field 'q': must be UTF-8 text without control "
	    "characters", "TEXT UTF-8 message names the field");
	ok(refused("q=%C1%BF"), "TEXT overlong 2-byte C1 lead bad");
	ok(refused("q=%E0%80%AF"), "TEXT overlong 3-byte bad");
	ok(refused("q=%E0%9F%BF"), "TEXT overlong 3-byte U+07FF bad");
	ok(refused("q=%F0%80%80%AF"), "TEXT overlong 4-byte bad");
	ok(refused("q=%F0%8F%BF%BF"), "TEXT overlong 4-byte U+FFFF bad");
	ok(refused("q=%ED%A0%80"), "TEXT surrogate U+D800 bad");
	ok(refused("q=%ED%BF%BF"), "TEXT surrogate U+DFFF bad");
	ok(refused("q=%ED%A0%BD%ED%B8%80"), "TEXT CESU-8 surrogate pair bad");
	ok(refused("q=%F4%90%80%80"), "TEXT U+110000 bad");
	ok(refused("q=%F5%80%80%80"), "TEXT lead byte F5 bad");
	ok(refused("q=%FF"), "TEXT byte FF bad");
	ok(refused("q=a%C3"), "TEXT truncated 2-byte at end bad");
	ok(refused("q=%E2%82"), "TEXT truncated 3-byte at end bad");
	ok(refused("q=%E2%82x"), "TEXT truncated 3-byte before ASCII bad");
	ok(refused("q=%F0%9F%98"), "TEXT truncated 4-byte bad");
	ok(refused("q=%80"), "TEXT lone continuation byte bad");
	ok(refused("q=a%BFb"), "TEXT continuation byte mid-string bad");
	ok(refused("q=a%00b"), "TEXT NUL via %%00 bad");
	ok(refused("q=%00"), "TEXT lone NUL bad");
	ok(refused("q=a%01b"), "TEXT control U+0001 bad");
	ok(refused("q=a%09b"), "TEXT tab bad (one line)");
	ok(refused("q=a%0Ab"), "TEXT line feed bad");
	ok(refused("q=a%0Db"), "TEXT carriage return bad");
	ok(refused("q=a%7Fb"), "TEXT DEL bad");
	ok(refused("q=a%C2%85b"), "TEXT C1 control U+0085 bad");
	ok(refused("q=%EF%BF%BE"), "TEXT U+FFFE bad");
	ok(refused("q=%EF%BF%BF"), "TEXT U+FFFF bad");
}

static void
test_names(void)
{
	char qs[128];

	ok(refused("bogus=1"), "unknown field bad");
	is_str(fl.err, "unknown field 'bogus'", "unknown field message names it");
	ok(oms_fields_parse(arena, "page=2", 6, BIT(TYPE) | BIT(Q), &fl) ==
	    OMS_ERR_INVAL, "known field not allowed on this route bad");
	is_str(fl.err, "unknown field 'page'",
	    "field outside the allowed mask is reported as unknown");
	ok(oms_fields_parse(arena, "page=2", 6, BIT(PAGE), &fl) == OMS_OK &&
	    fl.f[OMS_KEY_PAGE].i == 2, "field in the allowed mask ok");
	ok(refused("%FF%FE=1"), "unknown field with invalid UTF-8 name bad");
	ok(strstr(fl.err, "\xff") == NULL && strchr(fl.err, '\'') == NULL,
	    "invalid UTF-8 name is not echoed");
	ok(refused("a%0Ab=1"), "unknown field with a control character bad");
	ok(strchr(fl.err, '\n') == NULL, "name with a line feed is not echoed");
	snprintf(qs, sizeof(qs), "%s=1",
	    "abcdefghijabcdefghijabcdefghijabcdefghij");
	ok(refused(qs), "unknown 40-byte name bad");
	ok(strstr(fl.err, "abcdefghijabcdefghijabcdefghijabcdefghij") != NULL,
	    "unknown 40-byte name is echoed");
	snprintf(qs, sizeof(qs), "%s=1",
	    "abcdefghijabcdefghijabcdefghijabcdefghijk");
	ok(refused(qs), "unknown 41-byte name bad");
	ok(strstr(fl.err, "abcdefghij") == NULL,
	    "unknown 41-byte name is not echoed");
	ok(refused("ty%00pe=line"), "name with %%00 bad");
	ok(refused("=line"), "empty name bad");
	ok(refused("Type=line"), "name matching is case-sensitive: Type bad");
	ok(parses_to("t%79pe=set", OMS_KEY_TYPE, "set"),
	    "names are percent-decoded before lookup");
	ok(refused("type=line&type=set"), "repeated field bad");
	is_str(fl.err, "field 'type' given more than once",
	    "repeated field message names it");
	ok(refused("type=&type=line"), "repeated field bad even when first empty");
	ok(refused("q=%"), "malformed escape '%%' bad");
	is_str(fl.err, "field 'q': malformed percent-encoding",
	    "malformed escape message names the field");
	ok(refused("q=%4"), "malformed escape '%%4' bad");
	ok(refused("q=%zz"), "malformed escape '%%zz' bad");
	ok(refused("q=%4g"), "malformed escape '%%4g' bad");
	ok(refused("q=%%41"), "malformed escape '%%%%41' bad");
	ok(refused("q=ab%"), "malformed escape at end of value bad");
	ok(refused("%zz=1"), "malformed escape in a name bad");
	is_str(fl.err, "malformed field name in the request",
	    "malformed name message does not echo it");
	ok(parse("type=line&&page=2") == OMS_OK &&
	    fl.f[OMS_KEY_TYPE].present && fl.f[OMS_KEY_PAGE].i == 2,
	    "'a=1&&b=2' is harmless");
	ok(parse("&type=line&") == OMS_OK && fl.f[OMS_KEY_TYPE].present,
	    "leading and trailing '&' are harmless");
	ok(parse("&&&") == OMS_OK, "only '&'s parse to nothing");
	ok(ALL_PARSE("type=line&page=0", 9) == OMS_OK &&
	    fl.f[OMS_KEY_TYPE].present && !fl.f[OMS_KEY_PAGE].present,
	    "only len bytes are parsed, not up to the NUL");
	ok(parse("page=0&type=line") == OMS_ERR_INVAL &&
	    !fl.f[OMS_KEY_TYPE].present, "parsing stops at the first bad field");
	ok(parse("type=set") == OMS_OK && fl.err[0] == '\0' &&
	    !fl.f[OMS_KEY_PAGE].present, "a new parse starts from a clean slate");
}

/* A value that passes key k's validator, for the repeat tests. */
static const char *
good_value(enum oms_key k)
{
	const struct oms_keydef *d = &oms_keys[k];

	switch (d->valid) {
	case OMS_VALID_INT:
		return oms_arena_printf(arena, "%lld", (long long)d->min);
	case OMS_VALID_ENUM:
		return d->choices[0];
	default:
		return "x";
	}
}

/* "sites=" then the ids from..to, each given times times, joined by '&'. */
static char *
sites_qs(int from, int to, int times)
{
	size_t cap = (size_t)(to - from + 1) * (size_t)times * 18 + 1, n = 0;
	char *s = oms_arena_alloc(arena, cap);

	s[0] = '\0';
	for (int t = 0; t < times; t++)
		for (int i = from; i <= to; i++)
			n += (size_t)snprintf(s + n, cap - n, "%ssites=%d",
			    n ? "&" : "", i);
	return s;
}

/*
 * Repeated keys, for every key of the table: a single-valued field
 * given twice is refused naming it; a repeatable one is a set, so a
 * value given again is folded into the one before (a duplicate site
 * once reached the database and answered 500).
 */
static void
test_repeats(void)
{
	const struct oms_field *f = &fl.f[OMS_KEY_SITES];
	int all_int = 1, all_refused = 1, any_multi = 0;
	char want[96];

	for (int k = 0; k < OMS_KEY__MAX; k++) {
		const char *v = good_value((enum oms_key)k);
		char *qs;

		if (oms_keys[k].multi) {
			any_multi = 1;
			if (oms_keys[k].valid != OMS_VALID_INT)
				all_int = 0;
			continue;
		}
		qs = oms_arena_printf(arena, "%s=%s&%s=%s", oms_keys[k].name,
		    oms_url_encode(arena, v), oms_keys[k].name,
		    oms_url_encode(arena, v));
		snprintf(want, sizeof(want), "field '%s' given more than once",
		    oms_keys[k].name);
		if (!(ALL_PARSE(qs, strlen(qs)) ==
		    OMS_ERR_INVAL && strcmp(fl.err, want) == 0)) {
			printf("#   '%s' gave '%s'\n", qs, fl.err);
			all_refused = 0;
		}
	}
	ok(all_refused, "repeat: every single-valued field given twice bad, "
	    "the message names it");
	ok(any_multi && all_int, "repeat: the repeatable fields are integer sets");

	ok(parse("sites=7&sites=7") == OMS_OK && f->present && f->nlist == 1 &&
	    f->list[0] == 7, "repeat: sites=7&sites=7 folds to the one site 7");
	ok(parse("sites=7&sites=8&sites=7&sites=9&sites=8") == OMS_OK &&
	    f->nlist == 3 && f->list[0] == 7 && f->list[1] == 8 &&
	    f->list[2] == 9, "repeat: duplicates folded, first-given order kept");
	ok(parse("sites=7&sites=&sites=7") == OMS_OK && f->nlist == 1,
	    "repeat: an empty value among them is absent, not a duplicate");
	ok(parse("sites=7&sites=007") == OMS_OK && f->nlist == 1,
	    "repeat: the same number written two ways is one value");
	ok(refused("sites=7&sites=0"), "repeat: each value is still checked: 0 bad");
	ok(parse(sites_qs(1, OMS_MULTI_MAX, 1)) == OMS_OK &&
	    f->nlist == OMS_MULTI_MAX && f->list[OMS_MULTI_MAX - 1] ==
	    OMS_MULTI_MAX, "repeat: %d distinct values taken, in order",
	    OMS_MULTI_MAX);
	ok(refused(sites_qs(1, OMS_MULTI_MAX + 1, 1)) &&
	    strstr(fl.err, "'sites'") != NULL,
	    "repeat: %d distinct values bad, naming the field",
	    OMS_MULTI_MAX + 1);
	ok(parse(sites_qs(1, 3, 2 * OMS_MULTI_MAX)) == OMS_OK && f->nlist == 3,
	    "repeat: 3 values given %d times each are 3 values",
	    2 * OMS_MULTI_MAX);
}

static void
test_utf8_check(void)
{
	is_int(oms_utf8_check("", 0, 0), 0, "utf8_check: empty is 0 characters");
	is_int(oms_utf8_check("abc", 3, 0), 3, "utf8_check: ASCII counts bytes");
	is_int(oms_utf8_check("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9, 0), 3,
	    "utf8_check: 2, 3 and 4-byte forms count 1 each");
	is_int(oms_utf8_check("a\tb\r\n", 5, 1), 5,
	    "utf8_check: multiline allows tab, CR, LF");
	is_int(oms_utf8_check("a\tb", 3, 0), -1,
	    "utf8_check: tab bad when not multiline");
	is_int(oms_utf8_check("a\x01", 2, 1), -1,
	    "utf8_check: U+0001 bad even multiline");
	is_int(oms_utf8_check("a\0b", 3, 1), -1,
	    "utf8_check: NUL within n bad");
	is_int(oms_utf8_check("\x7f", 1, 1), -1, "utf8_check: DEL bad");
	is_int(oms_utf8_check("\xc3\xa9", 1, 0), -1,
	    "utf8_check: sequence cut by n bad");
	is_int(oms_utf8_check("\xc3\xa9xyz", 2, 0), 1,
	    "utf8_check: bytes past n are not read");
	is_int(oms_utf8_check("\xc0\x80", 2, 0), -1,
	    "utf8_check: overlong NUL (C0 80) bad");
	is_int(oms_utf8_check("\xed\xa0\x80", 3, 0), -1,
	    "utf8_check: surrogate D800 bad");
	is_int(oms_utf8_check("\xf4\x90\x80\x80", 4, 0), -1,
	    "utf8_check: U+110000 bad");
	is_int(oms_utf8_check("\xf8\x88\x80\x80\x80", 5, 0), -1,
	    "utf8_check: 5-byte form bad");
	is_int(oms_utf8_check("\xe2\x28\xa1", 3, 0), -1,
	    "utf8_check: bad second byte bad");
	is_int(oms_utf8_check("\xef\xbf\xbe", 3, 0), -1,
	    "utf8_check: U+FFFE bad");
	is_int(oms_utf8_check("\xc2\xa0", 2, 0), 1,
	    "utf8_check: U+00A0 (first after C1) ok");
}

static void
test_url_encode(void)
{
	static const char *const samples[] = {
		"plain", "a b", "50% off_now", "a&b=c", "+1 (555) 010-2000",
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "x/y?z#w",
		"quote\"apos'lt<gt>", "~-_.", "%41", "!*'();:@$,[]",
	};
	char ascii[128], *qs, *enc;
	size_t n = 0;
	int every = 1;

	is_str(oms_url_encode(arena, "a b&c=d/\xc3\xa9"),
	    "a%20b%26c%3Dd%2F%C3%A9", "url_encode: reserved and UTF-8 escaped");
	is_str(oms_url_encode(arena, "AZaz09-_.~"), "AZaz09-_.~",
	    "url_encode: unreserved characters kept");
	is_str(oms_url_encode(arena, "+"), "%2B",
	    "url_encode: '+' escaped, so it is not read as a space");
	is_str(oms_url_encode(arena, ""), "", "url_encode: empty string");

	for (size_t i = 0; i < OMS_NELEM(samples); i++) {
		enc = oms_url_encode(arena, samples[i]);
		qs = oms_arena_printf(arena, "q=%s", enc);
		if (!parses_to(qs, OMS_KEY_Q, samples[i])) {
			printf("#   round trip failed for '%s'\n", samples[i]);
			every = 0;
		}
	}
	ok(every, "url_encode: round trip through the parser for samples");
	/* Every printable ASCII character, inside letters so that trimming
	 * does not touch the spaces. */
	ascii[n++] = '<';
	for (int c = 0x20; c < 0x7f; c++)
		ascii[n++] = (char)c;
	ascii[n++] = '>';
	ascii[n] = '\0';
	enc = oms_url_encode(arena, ascii);
	qs = oms_arena_printf(arena, "q=%s", enc);
	ok(parses_to(qs, OMS_KEY_Q, ascii),
	    "url_encode: round trip of every printable ASCII");
	ok(strpbrk(enc, "&=+ #?") == NULL,
	    "url_encode: output holds no separator characters");
}

int
main(void)
{
	oms_log_set_level(OMS_LOG_ERR);
	for (int k = 0; k <= OMS_KEY__MAX; k++)
		all[k] = (enum oms_key)k;
	if ((arena = oms_arena_new()) == NULL) {
		printf("Bail out! no memory\n");
		return 1;
	}
	test_decoding();
	test_absent_and_trim();
	test_int();
	test_enum();
	test_text();
	test_names();
	test_repeats();
	test_utf8_check();
	test_url_encode();
	oms_arena_free(&arena);
	ok(arena == NULL, "arena_free clears the pointer");
	return tap_done();
}
