package org.medssl.data.phantom;

/** A solid in the phantom's reference frame (millimetres, origin at the field-of-view centre). */
@FunctionalInterface
interface Shape {

  boolean contains(double x, double y, double z);

  default Shape and(Shape other) {
    return (x, y, z) -> contains(x, y, z) && other.contains(x, y, z);
  }

  default Shape or(Shape other) {
    return (x, y, z) -> contains(x, y, z) || other.contains(x, y, z);
  }

  default Shape minus(Shape other) {
    return (x, y, z) -> contains(x, y, z) && !other.contains(x, y, z);
  }
}
