// COgg: libogg for RTCAudio (the Ogg page layer of recordings), the only module that imports it.
#ifndef PARLEY_COGG_SHIM_H
#define PARLEY_COGG_SHIM_H

#include <ogg/ogg.h>

#endif
