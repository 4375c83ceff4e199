package dev.intake.contracts;

import org.apache.kafka.common.serialization.Serde;

/** A topic bound to its key and value serdes, so a name never travels without its types. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
}
