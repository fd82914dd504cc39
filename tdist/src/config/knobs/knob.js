export {};
//# sourceMappingURL=knob.js.map