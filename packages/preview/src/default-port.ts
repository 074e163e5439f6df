// The preview's default port: its one home. (A shared contract package for the stack's default ports is on
// its way; when it lands, this constant becomes an import from there.)
export const DEFAULT_PREVIEW_PORT = 8220;
