/* SPDX-License-Identifier: MIT */
/* Calendar helpers: ISO dates to day numbers, month names. */
#include "dyad/core.h"

static int parse_num(const char *p, int n)
{
  int v = 0, i;
  for (i = 0; i < n; i++) {
    if (!dy_isdigit(p[i]))
      return -1;
    v = v * 10 + (p[i] - '0');
  }
  return v;
}

long dy_date_parse(dy_str s)
{
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d;
  long yy, era, yoe, doy, doe;
  if (s.n != 10 || s.p[4] != '-' || s.p[7] != '-')
    return -1;
  y = parse_num(s.p, 4);
  m = parse_num(s.p + 5, 2);
  d = parse_num(s.p + 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
    return -1;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return -1;
  /* days from civil (Howard Hinnant's algorithm) */
  yy = m <= 2 ? y - 1 : y;
  era = yy / 400;
  yoe = yy - era * 400;
  doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

int dy_month_from_name(dy_str s)
{
  static const char *names[] = {"january", "february", "march",
                                "april",   "may",      "june",
                                "july",    "august",   "september",
                                "october", "november", "december"};
  int i;
  size_t k;
  if (s.n && s.p[s.n - 1] == '.')
    s.n--;
  if (s.n < 3)
    return 0;
  for (i = 0; i < 12; i++) {
    const char *nm = names[i];
    for (k = 0; k < s.n && nm[k]; k++)
      if (dy_tolower(s.p[k]) != nm[k])
        break;
    if (k == s.n && (nm[k] == '\0' || s.n == 3 || (i == 8 && s.n == 4)))
      return i + 1;
  }
  return 0;
}
