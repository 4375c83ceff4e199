package dev.intake.worker.jobs;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.intake.contracts.LogSafe;

import org.springframework.kafka.listener.RetryListener;

/** Logs each transient failure of a job (retried with back-off), so an outage shows as it happens. */
class RetryLogger implements RetryListener {

	private static final Log logger = LogFactory.getLog(RetryLogger.class);

	@Override
	public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
		if (FailedJobRecoverer.isTransient(ex)) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			logger.warn("Job key=" + LogSafe.text(record.key()) + " partition=" + record.partition() + " offset="
					+ record.offset() + " hit a transient failure on delivery " + deliveryAttempt + ": "
					+ LogSafe.text(cause.getMessage()));
		}
	}

}
