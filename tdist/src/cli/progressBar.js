/** A one-line progress bar on stderr (stdout stays machine-readable); ends the line when done. */
export function progressBar(done, total, label) {
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label.padEnd(24)}${done === total ? '\n' : ''}`);
}
//# sourceMappingURL=progressBar.js.map