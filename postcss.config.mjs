/** Tailwind v4 runs as one PostCSS plugin; it finds class names in app/ and components/ by itself. */
const config = {
  plugins: { '@tailwindcss/postcss': {} },
};

export default config;
