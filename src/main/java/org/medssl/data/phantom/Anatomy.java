package org.medssl.data.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One subject's body: the shapes of the abdomen in a fixed reference frame of {@link #FOV_MM}
 * millimetres (x to the image right = patient left, y to the image bottom = posterior, z
 * superior), each drawn per subject. Parts are tested in order and the first that contains a point
 * names its tissue, so later parts are the ones that get indented.
 */
final class Anatomy {

  /** Extent of the reference frame; the generator maps any grid onto it. */
  static final double[] FOV_MM = {144, 144, 96};

  /** {@code deform} (null: none) moves the point before both tests, so bound and shape bend together. */
  private record Part(Shape shape, Tissue tissue, Ellipsoid bound, OrganDeform deform) {
    Part(Shape shape, Tissue tissue, Ellipsoid bound) {
      this(shape, tissue, bound, null);
    }

    Part deformedBy(OrganDeform d) {
      return d == null ? this : new Part(shape, tissue, bound, d);
    }

    boolean contains(double x, double y, double z) {
      return (bound == null || bound.contains(x, y, z)) && shape.contains(x, y, z);
    }
  }

  private final Ellipsoid body;
  private final Ellipsoid belowFat;
  private final Ellipsoid cavity;
  private final List<Part> posterior;
  private final List<Part> viscera;
  private final Variation variation;

  /**
   * {@code extraFatMm} grows the outline outwards (more fat makes a larger body, not a smaller
   * abdomen); the cavity stays where {@code fatMm} and {@code wallMm} put it.
   */
  private Anatomy(Ellipsoid body, double fatMm, double extraFatMm, double wallMm, List<Part> posterior,
      List<Part> viscera, Variation variation) {
    this.body = extraFatMm == 0 ? body : body.grown(1, extraFatMm);
    this.belowFat = body.grown(1, -fatMm);
    this.cavity = body.grown(1, -fatMm - wallMm);
    this.variation = variation;
    this.posterior = List.copyOf(posterior);
    this.viscera = List.copyOf(viscera);
  }

  /** The tissue at a point of the reference frame. */
  Tissue tissueAt(double x, double y, double z) {
    // The body tapers a little towards the pelvis.
    double taper = 1 + 0.0012 * z;
    double bx = x / taper;
    double by = y / taper;
    if (variation.lobulated()) {
      // A lobulated outline: every shell of the body wall scales by the same radial factor.
      double f = variation.outline(Math.atan2(by - body.cy(), bx - body.cx()));
      bx = body.cx() + (bx - body.cx()) / f;
      by = body.cy() + (by - body.cy()) / f;
    }
    if (!body.contains(bx, by, 0)) {
      return Tissue.AIR;
    }
    for (Part p : posterior) {
      if (p.contains(x, y, z)) {
        return p.tissue();
      }
    }
    if (!belowFat.contains(bx, by, 0)) {
      return Tissue.FAT;
    }
    if (!cavity.contains(bx, by, 0)) {
      return Tissue.MUSCLE;
    }
    // An organ's parts are consecutive and share its deformation: compute it once per organ.
    OrganDeform last = null;
    double[] q = null;
    for (Part p : viscera) {
      if (p.deform() == null) {
        if (p.contains(x, y, z)) {
          return p.tissue();
        }
        continue;
      }
      if (p.deform() != last) {
        q = q == null ? new double[3] : q;
        p.deform().displace(x, y, z, q);
        last = p.deform();
      }
      if (p.contains(q[0], q[1], q[2])) {
        return p.tissue();
      }
    }
    return Tissue.VISCERAL;
  }

  /** Version 1's anatomy. */
  static Anatomy sample(RandomGenerator rng) {
    return sample(rng, Variation.NONE);
  }

  /**
   * An anatomy whose draws are version 1's, changed by {@code v}; {@link Variation#NONE} gives
   * version 1 exactly (the variation draws no random numbers from {@code rng}).
   */
  static Anatomy sample(RandomGenerator rng, Variation v) {
    Ellipsoid body = Ellipsoid.cylinder(rng.nextDouble(-3, 3), rng.nextDouble(-3, 3),
        v.bodyWidth() * rng.nextDouble(58, 67), v.bodyDepth() * rng.nextDouble(42, 50), rng.nextDouble(-0.06, 0.06));
    List<Part> posterior = new ArrayList<>();
    addSpine(posterior, rng, body.cx());
    List<Part> viscera = new ArrayList<>();
    addVessels(viscera, rng, body.cx());
    addKidneys(viscera, rng, v);
    addLiver(viscera, rng, v);
    addSpleen(viscera, rng, v);
    addStomach(viscera, rng);
    addBowel(viscera, rng);
    double fat = rng.nextDouble(3, 10);
    double extraFat = v.fatScale() == 1 ? 0 : (v.fatScale() - 1) * fat;
    return new Anatomy(body, fat, extraFat, rng.nextDouble(3, 6), posterior, viscera, v);
  }

  private static void addSpine(List<Part> parts, RandomGenerator rng, double midline) {
    double r = rng.nextDouble(9, 12);
    double cy = rng.nextDouble(20, 25);
    Ellipsoid vertebra = Ellipsoid.cylinder(midline, cy, r * rng.nextDouble(1.0, 1.2), r, 0);
    Ellipsoid canal = Ellipsoid.cylinder(midline, cy + r + rng.nextDouble(3, 5), 5, 4.5, 0);
    double period = rng.nextDouble(24, 30);
    double phase = rng.nextDouble(0, period);
    double disc = rng.nextDouble(4, 7);
    Shape discs = (x, y, z) -> Math.floorMod((long) Math.floor(z + phase), (long) period) < disc;
    parts.add(part(canal, Tissue.CSF));
    parts.add(part(canal.grown(1, 2.5), Tissue.BONE));
    parts.add(new Part(vertebra.grown(1, -2).and(discs), Tissue.DISC, vertebra));
    parts.add(part(vertebra.grown(1, -2), Tissue.MARROW));
    parts.add(part(vertebra, Tissue.BONE));
    for (int side = -1; side <= 1; side += 2) {
      parts.add(part(Ellipsoid.cylinder(midline + side * rng.nextDouble(13, 17), cy + r + rng.nextDouble(10, 14),
          rng.nextDouble(9, 13), rng.nextDouble(7, 10), side * rng.nextDouble(0.2, 0.5)), Tissue.MUSCLE));
    }
  }

  private static void addVessels(List<Part> parts, RandomGenerator rng, double midline) {
    double aortaR = rng.nextDouble(5, 7.5);
    parts.add(part(new Tube(midline + rng.nextDouble(3, 9), rng.nextDouble(6, 10), 60,
        midline + rng.nextDouble(3, 9), rng.nextDouble(6, 10), -60, aortaR), Tissue.VESSEL));
    parts.add(part(Ellipsoid.cylinder(midline - rng.nextDouble(10, 15), rng.nextDouble(4, 9), rng.nextDouble(6, 9),
        rng.nextDouble(4, 6), rng.nextDouble(-0.5, 0.5)), Tissue.VESSEL));
    for (int side = -1; side <= 1; side += 2) {
      // Psoas muscles widen towards the pelvis and vanish above the kidneys.
      double cx = midline + side * rng.nextDouble(15, 19);
      double cy = rng.nextDouble(14, 20);
      double grow = rng.nextDouble(0.15, 0.25);
      double top = rng.nextDouble(-5, 10);
      parts.add(part((x, y, z) -> {
        double r = (top - z) * grow;
        double dx = x - cx;
        double dy = y - cy;
        return r > 0 && dx * dx + dy * dy <= r * r;
      }, Tissue.MUSCLE));
    }
  }

  private static void addKidneys(List<Part> parts, RandomGenerator rng, Variation v) {
    double shrinkOne = rng.nextDouble() < 0.2 ? rng.nextDouble(0.7, 0.85) : 1;
    double[] shift = v.kidneyShiftMm();
    for (int side = -1; side <= 1; side += 2) {
      double s = v.kidneyScale() * rng.nextDouble(0.85, 1.15) * (side < 0 ? shrinkOne : 1);
      // The right kidney (image left) sits lower, under the liver.
      double cz = (side < 0 ? rng.nextDouble(-28, -14) : rng.nextDouble(-22, -8)) + shift[2];
      Ellipsoid kidney = Ellipsoid.rotated(side * rng.nextDouble(27, 34) + side * shift[0],
          rng.nextDouble(18, 26) + shift[1], cz,
          s * rng.nextDouble(9, 12), s * rng.nextDouble(13, 17), s * rng.nextDouble(22, 28),
          side * rng.nextDouble(0.2, 0.6), rng.nextDouble(-0.15, 0.15), side * rng.nextDouble(0.0, 0.25));
      Ellipsoid medulla = kidney.grown(rng.nextDouble(0.45, 0.6), 0).shifted(-side * rng.nextDouble(1, 4), 0, 0);
      if (rng.nextDouble() < 0.3) {
        parts.add(new Part(sphereNear(kidney, rng, 3, 7), Tissue.KIDNEY_CYST, kidney).deformedBy(v.kidneyDeform()));
      }
      for (Variation.Lesion l : v.lesions()) {
        if (l.label() == PhantomGenerator.KIDNEY && l.side() == side) {
          parts.add(new Part(kidney, Tissue.KIDNEY_LESION, lesionIn(kidney, l)).deformedBy(v.kidneyDeform()));
        }
      }
      parts.add(part(medulla, Tissue.KIDNEY_MEDULLA).deformedBy(v.kidneyDeform()));
      parts.add(part(kidney, Tissue.KIDNEY_CORTEX).deformedBy(v.kidneyDeform()));
      parts.add(part(kidney.grown(1.15, rng.nextDouble(2, 5)), Tissue.FAT).deformedBy(v.kidneyDeform()));
    }
  }

  private static void addLiver(List<Part> parts, RandomGenerator rng, Variation v) {
    double s = v.liverScale() * rng.nextDouble(0.85, 1.12);
    double yaw = rng.nextDouble(-0.25, 0.25);
    double[] shift = v.liverShiftMm();
    Ellipsoid right = Ellipsoid.rotated(rng.nextDouble(-28, -20) + shift[0], rng.nextDouble(-6, 2) + shift[1],
        rng.nextDouble(2, 12) + shift[2], s * rng.nextDouble(25, 31), s * rng.nextDouble(26, 32),
        s * rng.nextDouble(34, 44), yaw, rng.nextDouble(-0.15, 0.15), rng.nextDouble(-0.2, 0.2));
    double sl = s * v.leftLobeScale();
    Ellipsoid left = Ellipsoid.rotated(rng.nextDouble(-2, 10) + shift[0], rng.nextDouble(-24, -16) + shift[1],
        rng.nextDouble(12, 24) + shift[2], sl * rng.nextDouble(16, 26), sl * rng.nextDouble(9, 14),
        sl * rng.nextDouble(14, 22), yaw + rng.nextDouble(-0.3, 0.3), 0, 0);
    Shape liver = right.or(left);
    Ellipsoid bound = right.grown(1, 30);
    Ellipsoid gall = Ellipsoid.rotated(right.cx() + rng.nextDouble(8, 16), right.cy() - rng.nextDouble(8, 16),
        right.cz() - rng.nextDouble(14, 24), rng.nextDouble(6, 10), rng.nextDouble(8, 13), rng.nextDouble(10, 16),
        rng.nextDouble(-0.6, 0.6), 0, 0);
    if (rng.nextDouble() < 0.8) {
      parts.add(part(gall, Tissue.GALLBLADDER));
    }
    for (Variation.Lesion l : v.lesions()) {
      if (l.label() == PhantomGenerator.LIVER) {
        parts.add(new Part(liver, Tissue.LIVER_LESION, lesionIn(right, l)).deformedBy(v.liverDeform()));
      }
    }
    int cysts = rng.nextInt(3);
    for (int i = 0; i < cysts; i++) {
      parts.add(new Part(sphereNear(right, rng, 2.5, 8).and(liver), Tissue.LIVER_CYST, bound).deformedBy(v.liverDeform()));
    }
    int vessels = 3 + rng.nextInt(4);
    for (int i = 0; i < vessels; i++) {
      parts.add(new Part(vesselIn(right, rng).and(liver), Tissue.LIVER_VESSEL, bound).deformedBy(v.liverDeform()));
    }
    parts.add(new Part(liver, Tissue.LIVER, bound).deformedBy(v.liverDeform()));
  }

  private static void addSpleen(List<Part> parts, RandomGenerator rng, Variation v) {
    double s = v.spleenScale() * rng.nextDouble(0.9, 1.2);
    double yaw = -rng.nextDouble(0.3, 0.8);
    double[] shift = v.spleenShiftMm();
    Ellipsoid spleen = Ellipsoid.rotated(rng.nextDouble(26, 33) + shift[0], rng.nextDouble(0, 12) + shift[1],
        rng.nextDouble(10, 22) + shift[2], s * rng.nextDouble(13, 17), s * rng.nextDouble(22, 28),
        s * rng.nextDouble(22, 30), yaw, rng.nextDouble(-0.2, 0.2), 0);
    // The hilum side is concave: take a shallow bite out of the medial-anterior face.
    Ellipsoid bite = spleen.grown(rng.nextDouble(0.5, 0.65), 0)
        .shifted(-rng.nextDouble(11, 15), -rng.nextDouble(2, 6), 0);
    Shape shape = spleen.minus(bite);
    for (Variation.Lesion l : v.lesions()) {
      if (l.label() == PhantomGenerator.SPLEEN) {
        parts.add(new Part(shape, Tissue.SPLEEN_LESION, lesionIn(spleen, l)).deformedBy(v.spleenDeform()));
      }
    }
    parts.add(new Part(shape, Tissue.SPLEEN, spleen).deformedBy(v.spleenDeform()));
  }

  private static void addStomach(List<Part> parts, RandomGenerator rng) {
    Ellipsoid stomach = Ellipsoid.rotated(rng.nextDouble(8, 18), rng.nextDouble(-24, -14), rng.nextDouble(8, 22),
        rng.nextDouble(13, 20), rng.nextDouble(9, 14), rng.nextDouble(14, 22), rng.nextDouble(-0.6, 0.2), 0, 0);
    parts.add(part(stomach.grown(1, -rng.nextDouble(2, 4)), Tissue.STOMACH_CONTENT));
    parts.add(part(stomach, Tissue.STOMACH_WALL));
  }

  private static void addBowel(List<Part> parts, RandomGenerator rng) {
    int loops = 6 + rng.nextInt(5);
    for (int i = 0; i < loops; i++) {
      // Most loops sit low and anterior; a few reach up beside liver and spleen (the flexures).
      boolean flexure = i < 2;
      double cx = flexure ? (i == 0 ? rng.nextDouble(-30, -15) : rng.nextDouble(20, 35)) : rng.nextDouble(-35, 35);
      double cy = flexure ? rng.nextDouble(-25, -5) : rng.nextDouble(-35, 5);
      double cz = flexure ? rng.nextDouble(-35, -15) : rng.nextDouble(-50, -5);
      double r = rng.nextDouble(7, 13);
      Ellipsoid loop = Ellipsoid.rotated(cx, cy, cz, r * rng.nextDouble(0.8, 1.3), r * rng.nextDouble(0.7, 1.1),
          r * rng.nextDouble(1.0, 2.0), rng.nextDouble(0, Math.PI), rng.nextDouble(-0.5, 0.5), 0);
      parts.add(part(loop.grown(1, -rng.nextDouble(1.5, 3)), Tissue.BOWEL_CONTENT));
      parts.add(part(loop, Tissue.BOWEL_WALL));
    }
  }

  private static Shape sphereNear(Ellipsoid organ, RandomGenerator rng, double rMin, double rMax) {
    double f = 0.6;
    return Ellipsoid.axisAligned(organ.cx() + rng.nextDouble(-f, f) * organ.ax(),
        organ.cy() + rng.nextDouble(-f, f) * organ.ay(), organ.cz() + rng.nextDouble(-f, f) * organ.az(),
        rng.nextDouble(rMin, rMax), rng.nextDouble(rMin, rMax), rng.nextDouble(rMin, rMax));
  }

  /** A lesion's solid; its part is the organ bounded by it, so it never reaches outside the organ. */
  private static Ellipsoid lesionIn(Ellipsoid organ, Variation.Lesion l) {
    return Ellipsoid.axisAligned(organ.cx() + l.u() * organ.ax(), organ.cy() + l.v() * organ.ay(),
        organ.cz() + l.w() * organ.az(), l.ax(), l.ay(), l.az());
  }

  /** A straight vessel from near the organ's centre towards its edge. */
  private static Shape vesselIn(Ellipsoid organ, RandomGenerator rng) {
    double x0 = organ.cx() + rng.nextDouble(-0.3, 0.3) * organ.ax();
    double y0 = organ.cy() + rng.nextDouble(-0.3, 0.3) * organ.ay();
    double z0 = organ.cz() + rng.nextDouble(-0.3, 0.3) * organ.az();
    double theta = rng.nextDouble(0, 2 * Math.PI);
    double dz = rng.nextDouble(-0.8, 0.8);
    double len = rng.nextDouble(15, 35);
    return new Tube(x0, y0, z0, x0 + len * Math.cos(theta), y0 + len * Math.sin(theta),
        z0 + len * dz, rng.nextDouble(1.5, 3.5));
  }

  private static Part part(Shape s, Tissue t) {
    return new Part(s, t, null);
  }
}
