// Public API of the storage module (filled in by its issue).
export {};
