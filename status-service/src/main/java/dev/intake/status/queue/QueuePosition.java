package dev.intake.status.queue;

import java.time.Instant;

/**
 * Where an unfinished batch waits.
 *
 * @param queuedAhead jobs published before the batch that no worker has taken yet
 * @param estimatedCompletion when its last item should be done at the recent processing rate;
 * null while no rate is known (nothing processed in the recent window)
 */
public record QueuePosition(long queuedAhead, Instant estimatedCompletion) {
}
