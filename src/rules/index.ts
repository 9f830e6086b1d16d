// Public API of the rules module (filled in by its issue).
export {};
