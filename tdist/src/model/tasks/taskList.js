import { MlpHead } from '../towers.js';
import { BceTask } from './bceTask.js';
import { ContrastiveTask } from './contrastiveTask.js';
import { I2UTask } from './i2uTask.js';
import { NextItemTask } from './nextItemTask.js';
import { U2ITask } from './u2iTask.js';
/**
 * The model's tasks for `options`, in the order their terms are summed (U2I, I2U, U2U, I2I, next
 * item, BCE); a task with weight 0 is left out. Projection heads are seeded from the model seed.
 */
export function buildTasks(options, model) {
    const t = options;
    const head = (name, seed) => new MlpHead(`${name}_projection`, model.outputDim, {
        name,
        embeddingDim: model.embeddingDim,
        hiddenDim: model.outputDim,
        outputDim: model.outputDim,
        seed,
    });
    const contrastive = (side, weight, seed) => new ContrastiveTask(side, {
        weight,
        temperature: t.contrastiveTemperature,
        extraPositiveWeight: t.extraPositiveWeight,
        projection: t.projectionHead ? head(side, seed) : null,
    });
    const tasks = [new U2ITask(t.temperature)];
    if (t.bidirectional)
        tasks.push(new I2UTask(t.i2uWeight, t.temperature, t.i2uTrainsUsers));
    if (t.u2uWeight > 0)
        tasks.push(contrastive('user', t.u2uWeight, model.seed * 7 + 5));
    if (t.i2iWeight > 0)
        tasks.push(contrastive('item', t.i2iWeight, model.seed * 7 + 6));
    if (t.nextItemWeight > 0)
        tasks.push(new NextItemTask(t.nextItemWeight, t.temperature));
    if (t.bceWeight > 0)
        tasks.push(new BceTask(t.bceWeight, t.temperature));
    return tasks;
}
//# sourceMappingURL=taskList.js.map