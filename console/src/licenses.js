// The page of the bundled libraries' licence texts (Preact, uPlot), written by build.mjs with a
// content-hashed name that it defines here as TOLLGATE_LICENSES_URL.
/* global TOLLGATE_LICENSES_URL */
export const licensesUrl = TOLLGATE_LICENSES_URL;
