/** Read by the root layout on the server, written by the theme toggle in the browser. */
export const THEME_COOKIE = 'wharf_theme';
