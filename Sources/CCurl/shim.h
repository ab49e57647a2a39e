#ifndef SIFT_CCURL_SHIM_H
#define SIFT_CCURL_SHIM_H
#include <curl/curl.h>
#endif
