/** The layout worker's file name under assets/, set by the build (scripts/console.build.ts). */
declare const __LAYOUT_WORKER__: string;

/** Stylesheets imported for their side effect: esbuild bundles them into the app's CSS file. */
declare module '*.css';
