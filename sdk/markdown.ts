/** The shared markdown subset: the parser lives with the protocol, as the server renders it too. */
export * from "../protocol/markdown.js";
