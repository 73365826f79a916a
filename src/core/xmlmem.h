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

#endif /* OMS_XMLMEM_H */
