package com.aima.metrics.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.testing.KafkaBroker;
import com.aima.metrics.testing.RealKafkaAndRegistry;
import com.aima.metrics.testing.SchemaRegistry;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Schema evolution against the real registry (BACKWARD): a v2 of MetricEvent with an added defaulted field is
 * accepted; v1 records decode with the v2 reader and v2 records with the v1 (generated) reader; an incompatible change
 * is refused by the registry and the serializer says so.
 */
@RealKafkaAndRegistry
class SchemaEvolutionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCompatibleV2ReadsBothWays(KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        String topic = KafkaBroker.uniqueTopic("evolution");
        kafka.createTopics(1, topic);
        Schema v2 = withAddedField(MetricEvent.getClassSchema(),
                "{\"name\":\"quality\",\"type\":\"string\",\"default\":\"measured\",\"doc\":\"v2 field\"}");
        MetricEvent v1Event = TestEvents.gpuUtilization(0, 55.0, 0);
        GenericData.Record v2Event = toV2(v1Event, v2, "estimated");

        try (KafkaProducer<String, MetricEvent> v1Producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), SpecificAvroSerde.forValues(MetricEvent.class, registry.serdeConfig())
                .serializer());
             KafkaProducer<String, GenericData.Record> v2Producer = new KafkaProducer<>(kafka.producerConfig(),
                     new StringSerializer(), configuredSerializer(registry))) {
            v1Producer.send(new ProducerRecord<>(topic, "k", v1Event)).get();
            v2Producer.send(new ProducerRecord<>(topic, "k", v2Event)).get();
        }
        List<byte[]> raw = WireFormatIT.readAll(kafka, topic, 2);

        // v1 record, v2 reader: the added field takes its default.
        SchemaRegistryClient client = SchemaRegistryClients.create(new AvroSerdeConfig(registry.serdeConfig()));
        GenericRecord oldWithNewReader = decode(raw.get(0), client, v2);
        assertThat(oldWithNewReader.get("quality").toString()).isEqualTo("measured");
        assertThat(oldWithNewReader.get("value")).isEqualTo(55.0);

        // v2 record, v1 generated reader through the serde: the added field is skipped.
        SpecificAvroDeserializer<MetricEvent> v1Reader = new SpecificAvroDeserializer<>(MetricEvent.class);
        v1Reader.configure(registry.serdeConfig(), false);
        assertThat(v1Reader.deserialize(topic, raw.get(1))).isEqualTo(v1Event);

        assertThat(ByteBuffer.wrap(raw.get(0), 1, 4).getInt())
                .as("v1 and v2 are different registered schemas")
                .isNotEqualTo(ByteBuffer.wrap(raw.get(1), 1, 4).getInt());
    }

    @Test
    void anIncompatibleChangeIsRefusedByTheRegistry(KafkaBroker kafka, SchemaRegistry registry) throws Exception {
        String topic = KafkaBroker.uniqueTopic("incompatible");
        kafka.createTopics(1, topic);
        SpecificAvroSerializer<MetricEvent> v1 = new SpecificAvroSerializer<>();
        v1.configure(registry.serdeConfig(), false);
        v1.serialize(topic, TestEvents.gpuUtilization(0, 1.0, 0));
        // A new required field without a default: old records could not be read.
        Schema broken = withAddedField(MetricEvent.getClassSchema(),
                "{\"name\":\"required_without_default\",\"type\":\"long\",\"doc\":\"breaks BACKWARD\"}");
        GenericData.Record record = toV2(TestEvents.gpuUtilization(0, 1.0, 0), broken, null);
        record.put("required_without_default", 1L);

        assertThatThrownBy(() -> configuredSerializer(registry).serialize(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible")
                .hasMessageContaining("'" + topic + "-value'")
                .hasMessageContaining("409");
    }

    private static SpecificAvroSerializer<GenericData.Record> configuredSerializer(SchemaRegistry registry) {
        SpecificAvroSerializer<GenericData.Record> serializer = new SpecificAvroSerializer<>();
        serializer.configure(registry.serdeConfig(), false);
        return serializer;
    }

    private static GenericRecord decode(byte[] bytes, SchemaRegistryClient client, Schema reader) throws Exception {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int id = WireFormat.readSchemaId(buffer, "test");
        Schema writer = client.schemaById(id);
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null,
                DecoderFactory.get().binaryDecoder(bytes, buffer.position(), buffer.remaining(), null));
    }

    static Schema withAddedField(Schema schema, String fieldJson) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(schema.toString());
        ((ArrayNode) json.get("fields")).add(JSON.readTree(fieldJson));
        return new Schema.Parser().parse(json.toString());
    }

    private static GenericData.Record toV2(MetricEvent event, Schema v2, String quality) {
        GenericData.Record source = new GenericData.Record(v2.getField("source").schema());
        source.put("host", event.getSource().getHost());
        source.put("collectorId", event.getSource().getCollectorId());
        source.put("kind", new GenericData.EnumSymbol(source.getSchema().getField("kind").schema(),
                event.getSource().getKind().name()));
        GenericData.Record record = new GenericData.Record(v2);
        record.put("name", event.getName());
        record.put("value", event.getValue());
        record.put("unit", event.getUnit());
        record.put("eventTime", event.getEventTime().toEpochMilli());
        record.put("labels", Map.copyOf(event.getLabels()));
        record.put("source", source);
        if (quality != null) {
            record.put("quality", quality);
        }
        return record;
    }
}
