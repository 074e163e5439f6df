// Generated at build time (rollup.config.mjs) from @mini-types/my: the names of the platform's `my` JSAPIs.
declare module 'virtual:platform-jsapis' {
  const names: readonly string[];
  export default names;
}
