/* fuzz-templates.c — libFuzzer target: compile and render any bytes as a template
 *
 * Built and run by `build-aux/dev fuzz templates [SECONDS]` (clang,
 * -fsanitize=fuzzer,address,undefined).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-templates-one.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_templates_one (data, size);
  return 0;
}
