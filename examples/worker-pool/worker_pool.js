// The WorkerPool of Node's async_hooks documentation ("Using AsyncResource for
// a Worker thread pool"), with two changes so that a trace continues inside the
// workers (each marked "tracing:"):
//  1. runTask() captures the caller's trace context with propagation.inject()
//     and sends it with the task; the worker extracts it (task_processor.js).
//  2. The WorkerPoolTaskInfo is created when the task is submitted, not when a
//     worker becomes free, so a queued task's callback still runs in the
//     caller's context (and the injected context is the caller's too).
// close() lets the workers finish and flush their spans instead of terminating
// them (terminate() would drop what they have not exported yet).
'use strict';
const { AsyncResource } = require('node:async_hooks');
const { EventEmitter } = require('node:events');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { context, propagation } = require('@opentelemetry/api');

const kTaskInfo = Symbol('kTaskInfo');
const kWorkerFreedEvent = Symbol('kWorkerFreedEvent');

class WorkerPoolTaskInfo extends AsyncResource {
  constructor(callback) {
    super('WorkerPoolTaskInfo');
    this.callback = callback;
  }

  done(err, result) {
    this.runInAsyncScope(this.callback, null, err, result);
    this.emitDestroy(); // `TaskInfo`s are used only once.
  }
}

class WorkerPool extends EventEmitter {
  constructor(numThreads) {
    super();
    this.numThreads = numThreads;
    this.workers = [];
    this.freeWorkers = [];
    this.queue = [];

    for (let i = 0; i < numThreads; i++) this.addNewWorker();

    // Any time the kWorkerFreedEvent is emitted, dispatch the next pending task.
    this.on(kWorkerFreedEvent, () => {
      if (this.queue.length > 0) this.dispatch(this.queue.shift());
    });
  }

  addNewWorker() {
    const worker = new Worker(path.resolve(__dirname, 'task_processor.js'));
    worker.on('message', (result) => {
      // In case of success: Call the callback that was passed to `runTask`,
      // remove the `TaskInfo` associated with the Worker, and mark it as free
      // again.
      worker[kTaskInfo].done(null, result);
      worker[kTaskInfo] = null;
      this.freeWorkers.push(worker);
      this.emit(kWorkerFreedEvent);
    });
    worker.on('error', (err) => {
      // In case of an uncaught exception: Call the callback that was passed to
      // `runTask` with the error.
      if (worker[kTaskInfo]) worker[kTaskInfo].done(err, null);
      else this.emit('error', err);
      // Remove the worker from the list and start a new Worker to replace the
      // current one.
      this.workers.splice(this.workers.indexOf(worker), 1);
      this.addNewWorker();
    });
    this.workers.push(worker);
    this.freeWorkers.push(worker);
    this.emit(kWorkerFreedEvent);
  }

  runTask(task, callback) {
    // tracing: the caller's context, as W3C traceparent/baggage entries.
    const carrier = {};
    propagation.inject(context.active(), carrier);
    const pending = { task, carrier, info: new WorkerPoolTaskInfo(callback) };
    if (this.freeWorkers.length === 0) {
      // No free threads, wait until a worker thread becomes free.
      this.queue.push(pending);
      return;
    }
    this.dispatch(pending);
  }

  dispatch({ task, carrier, info }) {
    const worker = this.freeWorkers.pop();
    worker[kTaskInfo] = info;
    worker.postMessage({ task, carrier });
  }

  /** Resolves when every worker has flushed its spans and exited. */
  close() {
    return Promise.all(
      this.workers.map((worker) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage({ close: true });
        return exited;
      }),
    );
  }
}

module.exports = WorkerPool;
