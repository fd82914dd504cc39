export class Instrumentation {
    listeners = new Map();
    /** Subscribe; returns the function that unsubscribes. */
    on(event, listener) {
        let set = this.listeners.get(event);
        if (!set)
            this.listeners.set(event, (set = new Set()));
        set.add(listener);
        return () => {
            set.delete(listener);
        };
    }
    emit(event, payload) {
        const set = this.listeners.get(event);
        if (!set)
            return;
        for (const listener of set) {
            try {
                listener(payload);
            }
            catch (error) {
                if (event !== 'instrumentation.listener_error')
                    this.emit('instrumentation.listener_error', { event, error });
            }
        }
    }
}
//# sourceMappingURL=instrumentation.js.map