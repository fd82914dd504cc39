export {};
//# sourceMappingURL=annIndex.js.map