/**
 * Produces records (JSON-able objects or raw text/bytes) to a topic in order, keyed by user id
 * when one is present so that a user's events stay in one partition and in order.
 */
export async function produceRecords(connection, records, options) {
    const started = Date.now();
    let sent = 0;
    for (let start = 0; start < records.length; start += options.batchSize) {
        const slice = records.slice(start, start + options.batchSize);
        await connection.send(options.topic, slice.map((r) => {
            const value = typeof r === 'string' || Buffer.isBuffer(r) ? r : JSON.stringify(r);
            const key = r !== null && typeof r === 'object' && !Buffer.isBuffer(r) && typeof r.userId === 'string'
                ? r.userId
                : null;
            return { key, value };
        }));
        sent += slice.length;
        options.onProgress?.(sent, records.length);
        if (options.rate) {
            const due = started + (sent / options.rate) * 1000;
            const wait = due - Date.now();
            if (wait > 0)
                await new Promise((r) => setTimeout(r, wait));
        }
    }
    return sent;
}
//# sourceMappingURL=recordProducer.js.map