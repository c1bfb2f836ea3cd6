/**
 * The Nest transport over the project's bus port (DESIGN.md "Topology": every deciding service is a
 * Nest microservice whose handlers are `@EventPattern(...)` methods, served by a custom transport
 * over the bus port — Kafka in distributed mode, the in-process bus embedded: one code path).
 *
 * A handler names its topic as the pattern and its consumer group in the pattern's extras:
 *
 *   @EventPattern(TOPICS.recordedFacts, consumes({ groupId: 'allocation.recorded-facts', batches: true }))
 *   onFacts(@Payload() messages: ReceivedMessage[]) { … }
 *
 * Each handler is one subscriber of its group. Nest keeps every event handler of one pattern (two
 * services of the embedded process may both consume a topic, each in its own group), chained by
 * `next`: each gets its own subscription. Delivery semantics are the bus port's (bus.port.ts):
 * per-partition order, at-least-once, a batch committed once its handler resolved.
 */
import { Catch, Logger, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import { lastValueFrom, throwError, type Observable } from 'rxjs';
import type { MessageBus, ReceivedMessage, SubscribeOptions, Subscription } from '@cto/messaging';

/** What a handler's `@EventPattern` extras say about its subscription. */
export interface ConsumerOptions {
  /** The consumer group: the instances of one service share it and split the partitions. */
  groupId: string;
  /** true: the handler takes a partition's messages in batches (ReceivedMessage[]); else one at a time. */
  batches?: boolean;
  maxBatchSize?: number;
  /** A group with nothing committed starts at the topic's first message (see SubscribeOptions). */
  fromBeginning?: boolean;
  /** Per-message handlers only: give up on a message after the bus's attempts (see SubscribeOptions). */
  deadLetterFailures?: boolean;
}

/** The extras of `@EventPattern(topic, consumes({...}))`, typed. */
export const consumes = (options: ConsumerOptions): { consumer: ConsumerOptions } => ({ consumer: options });

export class BusTransport extends Server implements CustomTransportStrategy {
  private readonly subscriptions: Subscription[] = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly bus: MessageBus) {
    super();
  }

  /** Joins every handler's group; calls back once all have joined (or with the first error). */
  listen(callback: (error?: unknown) => void): void {
    this.subscribeAll().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  private async subscribeAll(): Promise<void> {
    for (const [topic, first] of this.getHandlers()) {
      for (let handler: MessageHandler | undefined = first; handler; handler = handler.next) {
        this.subscriptions.push(await this.bus.subscribe(this.subscriptionFor(topic, handler)));
      }
    }
  }

  private subscriptionFor(topic: string, handler: MessageHandler): SubscribeOptions {
    const options = (handler.extras as { consumer?: ConsumerOptions } | undefined)?.consumer;
    if (!options?.groupId) throw new TypeError(`@EventPattern('${topic}') needs consumes({ groupId }) in its extras: every handler belongs to a consumer group`);
    // The handler may return a value, a promise or an observable (Nest allows all three): the
    // message is done when whichever it is completes.
    const run = async (payload: ReceivedMessage | ReceivedMessage[]): Promise<void> => {
      await lastValueFrom(this.transformToObservable(await handler(payload)), { defaultValue: undefined });
    };
    const common = { topic, groupId: options.groupId, fromBeginning: options.fromBeginning ?? false };
    return options.batches
      ? { ...common, batchHandler: run, ...(options.maxBatchSize ? { maxBatchSize: options.maxBatchSize } : {}) }
      : { ...common, handler: run, deadLetterFailures: options.deadLetterFailures ?? true };
  }

  /** Leaves every group; each running handler settles first and its message is not committed. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.subscriptions.map((s) => s.close())).then(() => undefined);
    return this.closing;
  }

  on(): never {
    throw new Error('BusTransport has no transport events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}

/**
 * What a bus handler threw, as the bus sees it: the error's name only. Nest's own RPC filter would
 * log the whole error at error level and hand the bus a generic object instead; an error message
 * here may quote a stream id, and so a child's id (STYLE.md "Logging": ids above debug are hashed
 * or left out), so the message and stack go to debug and the bus, which retries and logs what it
 * is given, gets only the name.
 */
export class BusHandlerFailed extends Error {
  constructor(readonly causeName: string) {
    super(`bus handler failed: ${causeName}`);
    this.name = 'BusHandlerFailed';
  }
}

@Catch()
export class BusHandlerErrors implements RpcExceptionFilter {
  private readonly logger = new Logger('bus');
  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    const name = exception instanceof Error ? exception.name : typeof exception;
    const [, context] = host.getArgs<[unknown, { topic?: string } | undefined]>();
    this.logger.error(`handler failed (${name}); the bus will deliver it again`);
    this.logger.debug({ topic: context?.topic, stack: exception instanceof Error ? exception.stack : String(exception) }, 'handler failure');
    return throwError(() => new BusHandlerFailed(name));
  }
}
