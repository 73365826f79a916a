/*
 * xmlmem.h: the allocator libxml2 and libxslt use in OMS processes
 * (src/core/xmlmem.c explains the measurement behind it).
 */
#ifndef OMS_XMLMEM_H
#define OMS_XMLMEM_H

/* Install the size-class allocator of src/core/xmlmem.c into libxml2.
 * Call it once, before libxml2 allocates anything (oms_views_init
 * does). */
void oms_xmlmem_install(void);

/*
 * Allocation failures, counted: every allocation through this allocator
 * that returned NULL (out of memory, or failed on purpose by the hook
 * below) since the process started.  A caller that must not report a
 * partial result as complete (the view renderer: libxml2 and libxslt
 * drop some failures silently) compares the count before and after.
 */
unsigned long oms_xmlmem_failures(void);

/*
 * Tracking, for tests: with it on, the fault-injection hook below
 * works and oms_xmlmem_live() counts blocks; off (the default, and in
 * omsd and omsctl) both cost nothing on the allocation path.  Turn it
 * on before libxml2 allocates anything (before oms_xmlmem_install()),
 * so that every block freed was counted when it was made.
 */
void oms_xmlmem_track(int on);

/*
 * Fault injection for tests (needs tracking on), in the manner of SQLite's OOM loops: the
 * nth allocation from now fails (1 = the very next one), and with
 * persist every allocation after it too, until the hook is set again.
 * nth = 0 turns it off.  Counted by oms_xmlmem_failures().
 */
void oms_xmlmem_fail_at(unsigned long nth, int persist);

/*
 * Hold the fault-injection hook (on = 1) or let it go on counting
 * (on = 0): allocations made while held are neither counted down nor
 * failed.  The view renderer holds it around the XSLT transform
 * itself, whose XPath engine in libxml2 2.9.14 can crash on a failed
 * allocation (it became safe against them only in 2.12); everything
 * around the transform is still tested.  No effect without the hook.
 */
void oms_xmlmem_fail_hold(int on);

/* Blocks handed out and not yet freed while tracking, for leak checks
 * in tests. */
long oms_xmlmem_live(void);

#endif /* OMS_XMLMEM_H */
