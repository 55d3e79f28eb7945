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

  private record Part(Shape shape, Tissue tissue, Ellipsoid bound) {
    boolean contains(double x, double y, double z) {
      return (bound == null || bound.contains(x, y, z)) && shape.contains(x, y, z);
    }
  }

  private final Ellipsoid body;
  private final Ellipsoid belowFat;
  private final Ellipsoid cavity;
  private final List<Part> posterior;
  private final List<Part> viscera;

  private Anatomy(Ellipsoid body, double fatMm, double wallMm, List<Part> posterior,
      List<Part> viscera) {
    this.body = body;
    this.belowFat = body.grown(1, -fatMm);
    this.cavity = body.grown(1, -fatMm - wallMm);
    this.posterior = List.copyOf(posterior);
    this.viscera = List.copyOf(viscera);
  }

  /** The tissue at a point of the reference frame. */
  Tissue tissueAt(double x, double y, double z) {
    // The body tapers a little towards the pelvis.
    double taper = 1 + 0.0012 * z;
    double bx = x / taper;
    double by = y / taper;
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
    for (Part p : viscera) {
      if (p.contains(x, y, z)) {
        return p.tissue();
      }
    }
    return Tissue.VISCERAL;
  }

  static Anatomy sample(RandomGenerator rng) {
    Ellipsoid body = Ellipsoid.cylinder(u(rng, -3, 3), u(rng, -3, 3), u(rng, 58, 67),
        u(rng, 42, 50), u(rng, -0.06, 0.06));
    List<Part> posterior = new ArrayList<>();
    addSpine(posterior, rng, body.cx());
    List<Part> viscera = new ArrayList<>();
    addVessels(viscera, rng, body.cx());
    addKidneys(viscera, rng);
    addLiver(viscera, rng);
    addSpleen(viscera, rng);
    addStomach(viscera, rng);
    addBowel(viscera, rng);
    return new Anatomy(body, u(rng, 3, 10), u(rng, 3, 6), posterior, viscera);
  }

  private static void addSpine(List<Part> parts, RandomGenerator rng, double midline) {
    double r = u(rng, 9, 12);
    double cy = u(rng, 20, 25);
    Ellipsoid vertebra = Ellipsoid.cylinder(midline, cy, r * u(rng, 1.0, 1.2), r, 0);
    Ellipsoid canal = Ellipsoid.cylinder(midline, cy + r + u(rng, 3, 5), 5, 4.5, 0);
    double period = u(rng, 24, 30);
    double phase = u(rng, 0, period);
    double disc = u(rng, 4, 7);
    Shape discs = (x, y, z) -> Math.floorMod((long) Math.floor(z + phase), (long) period) < disc;
    parts.add(part(canal, Tissue.CSF));
    parts.add(part(canal.grown(1, 2.5), Tissue.BONE));
    parts.add(new Part(vertebra.grown(1, -2).and(discs), Tissue.DISC, vertebra));
    parts.add(part(vertebra.grown(1, -2), Tissue.MARROW));
    parts.add(part(vertebra, Tissue.BONE));
    for (int side = -1; side <= 1; side += 2) {
      parts.add(part(Ellipsoid.cylinder(midline + side * u(rng, 13, 17), cy + r + u(rng, 10, 14),
          u(rng, 9, 13), u(rng, 7, 10), side * u(rng, 0.2, 0.5)), Tissue.MUSCLE));
    }
  }

  private static void addVessels(List<Part> parts, RandomGenerator rng, double midline) {
    double aortaR = u(rng, 5, 7.5);
    parts.add(part(new Tube(midline + u(rng, 3, 9), u(rng, 6, 10), 60,
        midline + u(rng, 3, 9), u(rng, 6, 10), -60, aortaR), Tissue.VESSEL));
    parts.add(part(Ellipsoid.cylinder(midline - u(rng, 10, 15), u(rng, 4, 9), u(rng, 6, 9),
        u(rng, 4, 6), u(rng, -0.5, 0.5)), Tissue.VESSEL));
    for (int side = -1; side <= 1; side += 2) {
      // Psoas muscles widen towards the pelvis and vanish above the kidneys.
      double cx = midline + side * u(rng, 15, 19);
      double cy = u(rng, 14, 20);
      double grow = u(rng, 0.15, 0.25);
      double top = u(rng, -5, 10);
      parts.add(part((x, y, z) -> {
        double r = (top - z) * grow;
        double dx = x - cx;
        double dy = y - cy;
        return r > 0 && dx * dx + dy * dy <= r * r;
      }, Tissue.MUSCLE));
    }
  }

  private static void addKidneys(List<Part> parts, RandomGenerator rng) {
    double shrinkOne = rng.nextDouble() < 0.2 ? u(rng, 0.7, 0.85) : 1;
    for (int side = -1; side <= 1; side += 2) {
      double s = u(rng, 0.85, 1.15) * (side < 0 ? shrinkOne : 1);
      // The right kidney (image left) sits lower, under the liver.
      double cz = side < 0 ? u(rng, -26, -12) : u(rng, -18, -4);
      Ellipsoid kidney = Ellipsoid.rotated(side * u(rng, 27, 34), u(rng, 18, 26), cz,
          s * u(rng, 9, 12), s * u(rng, 13, 17), s * u(rng, 22, 28),
          side * u(rng, 0.2, 0.6), u(rng, -0.15, 0.15), side * u(rng, 0.0, 0.25));
      Ellipsoid medulla = kidney.grown(u(rng, 0.45, 0.6), 0).shifted(-side * u(rng, 1, 4), 0, 0);
      if (rng.nextDouble() < 0.3) {
        parts.add(new Part(sphereNear(kidney, rng, 3, 7), Tissue.KIDNEY_CYST, kidney));
      }
      parts.add(part(medulla, Tissue.KIDNEY_MEDULLA));
      parts.add(part(kidney, Tissue.KIDNEY_CORTEX));
      parts.add(part(kidney.grown(1.15, u(rng, 2, 5)), Tissue.FAT));
    }
  }

  private static void addLiver(List<Part> parts, RandomGenerator rng) {
    double s = u(rng, 0.85, 1.12);
    double yaw = u(rng, -0.25, 0.25);
    Ellipsoid right = Ellipsoid.rotated(u(rng, -28, -20), u(rng, -6, 2), u(rng, 2, 12),
        s * u(rng, 25, 31), s * u(rng, 26, 32), s * u(rng, 34, 44), yaw, u(rng, -0.15, 0.15),
        u(rng, -0.2, 0.2));
    Ellipsoid left = Ellipsoid.rotated(u(rng, -2, 10), u(rng, -24, -16), u(rng, 12, 24),
        s * u(rng, 16, 26), s * u(rng, 9, 14), s * u(rng, 14, 22), yaw + u(rng, -0.3, 0.3), 0, 0);
    Shape liver = right.or(left);
    Ellipsoid bound = right.grown(1, 30);
    Ellipsoid gall = Ellipsoid.rotated(right.cx() + u(rng, 8, 16), right.cy() - u(rng, 8, 16),
        right.cz() - u(rng, 14, 24), u(rng, 6, 10), u(rng, 8, 13), u(rng, 10, 16),
        u(rng, -0.6, 0.6), 0, 0);
    if (rng.nextDouble() < 0.8) {
      parts.add(part(gall, Tissue.GALLBLADDER));
    }
    int cysts = rng.nextInt(4);
    for (int i = 0; i < cysts; i++) {
      parts.add(new Part(sphereNear(right, rng, 2.5, 8).and(liver), Tissue.LIVER_CYST, bound));
    }
    int vessels = 3 + rng.nextInt(4);
    for (int i = 0; i < vessels; i++) {
      parts.add(new Part(vesselIn(right, rng).and(liver), Tissue.LIVER_VESSEL, bound));
    }
    parts.add(new Part(liver, Tissue.LIVER, bound));
  }

  private static void addSpleen(List<Part> parts, RandomGenerator rng) {
    double s = u(rng, 0.8, 1.2);
    double yaw = -u(rng, 0.3, 0.8);
    Ellipsoid spleen = Ellipsoid.rotated(u(rng, 32, 40), u(rng, 4, 14), u(rng, 6, 20),
        s * u(rng, 10, 14), s * u(rng, 19, 26), s * u(rng, 20, 30), yaw, u(rng, -0.2, 0.2), 0);
    // The hilum side is concave: take a bite out of the medial-anterior face.
    Ellipsoid bite = spleen.grown(0.9, 0).shifted(-u(rng, 9, 14), -u(rng, 3, 8), 0);
    parts.add(new Part(spleen.minus(bite), Tissue.SPLEEN, spleen));
  }

  private static void addStomach(List<Part> parts, RandomGenerator rng) {
    Ellipsoid stomach = Ellipsoid.rotated(u(rng, 8, 18), u(rng, -24, -14), u(rng, 8, 22),
        u(rng, 13, 20), u(rng, 9, 14), u(rng, 14, 22), u(rng, -0.6, 0.2), 0, 0);
    parts.add(part(stomach.grown(1, -u(rng, 2, 4)), Tissue.STOMACH_CONTENT));
    parts.add(part(stomach, Tissue.STOMACH_WALL));
  }

  private static void addBowel(List<Part> parts, RandomGenerator rng) {
    int loops = 6 + rng.nextInt(5);
    for (int i = 0; i < loops; i++) {
      // Most loops sit low and anterior; a few reach up beside liver and spleen (the flexures).
      boolean flexure = i < 2;
      double cx = flexure ? (i == 0 ? u(rng, -30, -15) : u(rng, 20, 35)) : u(rng, -35, 35);
      double cy = flexure ? u(rng, -25, -5) : u(rng, -35, 5);
      double cz = flexure ? u(rng, -25, -5) : u(rng, -50, -5);
      double r = u(rng, 7, 13);
      Ellipsoid loop = Ellipsoid.rotated(cx, cy, cz, r * u(rng, 0.8, 1.3), r * u(rng, 0.7, 1.1),
          r * u(rng, 1.0, 2.0), u(rng, 0, Math.PI), u(rng, -0.5, 0.5), 0);
      parts.add(part(loop.grown(1, -u(rng, 1.5, 3)), Tissue.BOWEL_CONTENT));
      parts.add(part(loop, Tissue.BOWEL_WALL));
    }
  }

  private static Shape sphereNear(Ellipsoid organ, RandomGenerator rng, double rMin, double rMax) {
    double f = 0.6;
    return Ellipsoid.axisAligned(organ.cx() + u(rng, -f, f) * organ.ax(),
        organ.cy() + u(rng, -f, f) * organ.ay(), organ.cz() + u(rng, -f, f) * organ.az(),
        u(rng, rMin, rMax), u(rng, rMin, rMax), u(rng, rMin, rMax));
  }

  /** A straight vessel from near the organ's centre towards its edge. */
  private static Shape vesselIn(Ellipsoid organ, RandomGenerator rng) {
    double x0 = organ.cx() + u(rng, -0.3, 0.3) * organ.ax();
    double y0 = organ.cy() + u(rng, -0.3, 0.3) * organ.ay();
    double z0 = organ.cz() + u(rng, -0.3, 0.3) * organ.az();
    double theta = u(rng, 0, 2 * Math.PI);
    double dz = u(rng, -0.8, 0.8);
    double len = u(rng, 15, 35);
    return new Tube(x0, y0, z0, x0 + len * Math.cos(theta), y0 + len * Math.sin(theta),
        z0 + len * dz, u(rng, 1.5, 3.5));
  }

  private static Part part(Shape s, Tissue t) {
    return new Part(s, t, null);
  }

  static double u(RandomGenerator rng, double lo, double hi) {
    return lo + (hi - lo) * rng.nextDouble();
  }
}
