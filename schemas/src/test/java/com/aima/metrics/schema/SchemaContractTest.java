package com.aima.metrics.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules every topic schema keeps: each record and field documents itself, and each schema stays BACKWARD
 * compatible with every released version under {@code schemas/released/<Name>/v<N>.avsc} (a consumer on the new schema
 * reads all data ever written). Releasing a version means adding its file there; a released file never changes.
 */
class SchemaContractTest {

    static Stream<Schema> schemas() {
        return Stream.of(MetricEvent.getClassSchema(), JobEvent.getClassSchema(), MetricRollup.getClassSchema(),
                AlertEvent.getClassSchema(), CostRecord.getClassSchema(),
                AuditEvent.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void everyRecordAndFieldHasADoc(Schema schema) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schema, undocumented, new ArrayList<>());
        assertThat(undocumented).as("records and fields without doc in %s", schema.getFullName()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void isBackwardCompatibleWithEveryReleasedVersion(Schema current) throws IOException {
        List<Path> released = releasedVersions(current.getName());
        assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
        for (Path version : released) {
            Schema writer = new Schema.Parser().parse(version.toFile());
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getResult();
            assertThat(result.getCompatibility())
                    .as("%s reading data written with %s: %s", current.getName(), version,
                            result.getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    static List<Path> releasedVersions(String name) throws IOException {
        Path dir = Path.of("released", name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(SchemaContractTest::versionNumber))
                    .toList();
        }
    }

    private static int versionNumber(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static void collectUndocumented(Schema schema, List<String> out, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        out.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), out, seen);
                }
            }
            case ENUM -> {
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(type -> collectUndocumented(type, out, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), out, seen);
            case MAP -> collectUndocumented(schema.getValueType(), out, seen);
            default -> {
            }
        }
    }

    private static boolean isBlank(String doc) {
        return doc == null || doc.isBlank();
    }
}
