package dev.pricelake.core;

import java.util.List;
import java.util.Optional;

/** Port to the lake's object store (S3 in AWS, S3Proxy over a folder locally, a map in tests). */
public interface ObjectStore {
    /** The object's bytes, or empty when there is no object at the key. */
    Optional<byte[]> get(String key);

    /** Writes the whole object, replacing any object at the key. */
    void put(String key, byte[] data);

    /** Removes the object; removing a missing object is not an error. */
    void delete(String key);

    /** Every key under the prefix, in lexicographic order. */
    List<String> list(String prefix);
}
