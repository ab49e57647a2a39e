#ifndef SIFT_CLIBXML2_SHIM_H
#define SIFT_CLIBXML2_SHIM_H
// Foundation ships its own ICU; Debian's libxml2 headers pull the system one, and the two
// definitions of UErrorCode clash. Sift never needs libxml2's ICU API.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

// `xmlFree` is a global function-pointer variable; Swift 6 rejects reading mutable C globals,
// so callers go through this function instead.
static inline void CLibXML2_free(void *pointer) {
    xmlFree(pointer);
}

// The external entity loader that refuses everything: no file, no network, no catalog. Feeds
// and pages never need an external DTD or entity, and loading one is how XXE attacks read
// local files. NONET alone does not stop `file://` entities.
static inline xmlParserInputPtr CLibXML2_denyAllEntityLoader(const char *url, const char *id,
                                                             xmlParserCtxtPtr context) {
    (void)url;
    (void)id;
    (void)context;
    return NULL;
}

// Installs the deny-all loader process-wide; call once, after xmlInitParser().
static inline void CLibXML2_installDenyAllEntityLoader(void) {
    xmlSetExternalEntityLoader(CLibXML2_denyAllEntityLoader);
}

#endif
