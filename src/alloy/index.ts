// Public API of the alloy module (filled in by its issue).
export {};
