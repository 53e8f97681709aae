/** The reason a Node version (process.versions.node, with or without its "v") is too old, or null. */
export declare function nodeVersionProblem(version: string): string | null;
export declare const REQUIRED_MAJOR: number;
