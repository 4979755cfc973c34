// Stylesheets imported for their side effect: vite bundles them next to the chunk that imports them.
declare module "*.css";
