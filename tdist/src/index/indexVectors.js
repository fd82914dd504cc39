export {};
//# sourceMappingURL=indexVectors.js.map