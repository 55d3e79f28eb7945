package org.medssl.tensor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.medssl.MedsslException;

/**
 * This process's place in a group of processes that train one model together (data parallelism),
 * on libtorch's c10d: a TCP store for the rendezvous and the Gloo backend for the collectives. The
 * group is described the way {@code torchrun} describes it, by {@code RANK}, {@code WORLD_SIZE},
 * {@code LOCAL_RANK}, {@code LOCAL_WORLD_SIZE}, {@code MASTER_ADDR} and {@code MASTER_PORT}
 * ({@link Env}); {@code medssl launch} sets the same variables.
 *
 * <p>Every rank holds the same weights (broadcast from rank 0 at the start) and averages its
 * gradients with the others after each backward pass, so the weights stay equal and one step over
 * {@code world} batches of {@code b} is one step over a batch of {@code world x b}. A collective
 * that does not complete within the timeout (a rank died) fails with an error instead of hanging.
 *
 * <p>The native objects live until {@link #close} (for a process's own group, as long as the
 * process): the presets hand the group a reference to its store that the store's own Java object
 * does not count, so the store must outlive the group. Left to the garbage collector, the two were
 * freed in either order, and a group freed after its store wrote into freed memory (glibc then
 * aborted in whatever ran next). Every group not yet closed is therefore kept reachable, and
 * {@link #close} frees the group first, then its stores.
 */
public final class Distributed implements AutoCloseable {
  /** How long a collective may wait for the other ranks by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private static Distributed current;

  /**
   * A group as torchrun describes it.
   *
   * @param agentStore the rendezvous store is torchrun's agent's (every rank a client, keys under
   *     {@code /worker/attempt_<restart>}), not one rank 0 serves
   */
  public record Env(int rank, int world, int localRank, int localWorld, String masterAddr, int masterPort,
      boolean agentStore, int restart) {

    /** The group the environment describes, or empty when it describes none (no WORLD_SIZE, or 1). */
    public static Optional<Env> of(Map<String, String> env) {
      String worldText = env.get("WORLD_SIZE");
      if (worldText == null || worldText.isBlank()) {
        return Optional.empty();
      }
      int world = number(env, "WORLD_SIZE", 1, 65536);
      if (world == 1) {
        return Optional.empty();
      }
      int rank = number(env, "RANK", 0, world - 1);
      int localWorld = env.containsKey("LOCAL_WORLD_SIZE") ? number(env, "LOCAL_WORLD_SIZE", 1, world) : world;
      int localRank = env.containsKey("LOCAL_RANK") ? number(env, "LOCAL_RANK", 0, localWorld - 1) : rank % localWorld;
      String addr = env.getOrDefault("MASTER_ADDR", "127.0.0.1");
      int port = number(env, "MASTER_PORT", 1, 65535);
      boolean agent = Boolean.parseBoolean(env.getOrDefault("TORCHELASTIC_USE_AGENT_STORE", "false"));
      int restart = env.containsKey("TORCHELASTIC_RESTART_COUNT") ? number(env, "TORCHELASTIC_RESTART_COUNT", 0,
          Integer.MAX_VALUE) : 0;
      return Optional.of(new Env(rank, world, localRank, localWorld, addr, port, agent, restart));
    }

    private static int number(Map<String, String> env, String name, int min, int max) {
      String v = env.get(name);
      if (v == null) {
        throw new MedsslException(name + " is not set, but WORLD_SIZE says this is one of several processes"
            + " (set it as torchrun or ./medssl launch does)");
      }
      try {
        int n = Integer.parseInt(v.trim());
        if (n < min || n > max) {
          throw new NumberFormatException();
        }
        return n;
      } catch (NumberFormatException e) {
        throw new MedsslException(name + " must be an integer in [" + min + ", " + max + "], got '" + v + "'");
      }
    }
  }

  /** Groups not closed: kept reachable so that the collector never frees a store before its group. */
  private static final Set<Distributed> OPEN = ConcurrentHashMap.newKeySet();

  private final Env env;
  /** The stores the group holds, the one it was handed first (a prefix store before the TCP store under it). */
  private final List<Store> stores;
  private final ProcessGroupGloo group;
  private final Duration timeout;
  private long averagingNanos;

  private Distributed(Env env, List<Store> stores, ProcessGroupGloo group, Duration timeout) {
    this.env = env;
    this.stores = stores;
    this.group = group;
    this.timeout = timeout;
    OPEN.add(this);
  }

  /**
   * Joins the group: rank 0 serves the store (or, under torchrun's agent store, every rank is a
   * client), then the Gloo group forms once every rank has arrived. Blocks until then, or fails
   * after {@code timeout}.
   */
  public static Distributed join(Env env, Duration timeout) {
    Engine.ensureLoaded();
    List<Store> stores = new ArrayList<>();
    try {
      TCPStoreOptions opts = new TCPStoreOptions();
      opts.port((short) env.masterPort());
      boolean server = !env.agentStore() && env.rank() == 0;
      opts.isServer(server);
      opts.waitWorkers(false);
      opts.useLibUV(true);
      opts.timeout(new Milliseconds(timeout.toMillis()));
      TCPStore tcp = new TCPStore(env.masterAddr(), opts);
      stores.add(tcp);
      Store store = env.agentStore() ? new PrefixStore("/worker/attempt_" + env.restart(), tcp) : tcp;
      if (store != tcp) {
        stores.add(0, store);
      }
      ProcessGroupGloo.Options options = ProcessGroupGloo.Options.create(new Milliseconds(timeout.toMillis()));
      GlooDeviceVector devices = new GlooDeviceVector();
      devices.push_back(device(env));
      options.devices(devices);
      ProcessGroupGloo group = new ProcessGroupGloo(store, env.rank(), env.world(), options);
      return new Distributed(env, List.copyOf(stores), group, timeout);
    } catch (RuntimeException e) {
      stores.forEach(Pointer::deallocate); // no group holds them
      throw new MedsslException("rank " + env.rank() + " of " + env.world() + " could not join the group at "
          + env.masterAddr() + ":" + env.masterPort() + ": " + e.getMessage(), e);
    }
  }

  private static org.bytedeco.pytorch.gloo.Device device(Env env) {
    String iface = System.getenv("GLOO_SOCKET_IFNAME");
    if (iface != null && !iface.isBlank()) {
      return ProcessGroupGloo.createDeviceForInterface(iface);
    }
    boolean local = env.masterAddr().equals("127.0.0.1") || env.masterAddr().equals("localhost")
        || env.localWorld() == env.world();
    return local ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1") : ProcessGroupGloo.createDefaultDevice();
  }

  /** Joins the group the process environment describes and makes it {@link #current}; empty when there is none. */
  public static synchronized Optional<Distributed> joinFromEnvironment() {
    if (current == null) {
      Env.of(System.getenv()).ifPresent(e -> current = join(e, timeoutFromEnvironment()));
    }
    return Optional.ofNullable(current);
  }

  private static Duration timeoutFromEnvironment() {
    String s = System.getenv("MEDSSL_DIST_TIMEOUT");
    if (s == null || s.isBlank()) {
      return DEFAULT_TIMEOUT;
    }
    try {
      return Duration.ofSeconds(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      throw new MedsslException("MEDSSL_DIST_TIMEOUT must be a number of seconds, got '" + s + "'");
    }
  }

  /** Whether this process writes a run's outputs (models, checkpoints, progress): it trains alone or is rank 0. */
  public static boolean writesOutputs() {
    return current().map(g -> g.rank() == 0).orElse(true);
  }

  /** The group this process joined ({@link #joinFromEnvironment}), if any. */
  public static synchronized Optional<Distributed> current() {
    return Optional.ofNullable(current);
  }

  public int rank() {
    return env.rank();
  }

  public int world() {
    return env.world();
  }


  /**
   * Leaves the group: frees it, then its stores (a rank-0 store stops serving). Call it once every
   * rank is done with the group's collectives; closing twice does nothing.
   */
  @Override
  public synchronized void close() {
    if (!OPEN.remove(this)) {
      return;
    }
    group.deallocate();
    stores.forEach(Pointer::deallocate);
  }

  /**
   * Replaces each parameter's gradient with the mean over the ranks (one coalesced all-reduce).
   * Parameters without a gradient (frozen) take no part; every rank freezes the same ones.
   */
  public void averageGradients(List<Tensor> params) {
    long t0 = System.nanoTime();
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      TensorVector grads = new TensorVector();
      for (Tensor p : params) {
        Tensor grad = p.grad();
        if (grad != null) {
          grads.push_back(grad.raw());
        }
      }
      if (grads.size() == 0) {
        return;
      }
      // the default options: a sum, within the group's timeout (the presets' AllreduceCoalescedOptions
      // does not allocate its native object)
      finish(group.allreduce_coalesced(grads), "averaging gradients");
      org.bytedeco.pytorch.Scalar mean = new org.bytedeco.pytorch.Scalar(1.0 / env.world());
      for (long i = 0; i < grads.size(); i++) {
        grads.get(i).mul_(mean);
      }
    } finally {
      averagingNanos += System.nanoTime() - t0;
    }
  }

  /** Milliseconds {@link #averageGradients} took so far in all (waiting for slower ranks included). */
  public double averagingMillis() {
    return averagingNanos / 1e6;
  }

  /** Makes every rank's tensors equal to rank 0's (weights at the start of a run). */
  public void broadcastFromRankZero(List<Tensor> tensors) {
    try (StepScope s = StepScope.open(); NoGrad g = NoGrad.open()) {
      for (Tensor t : tensors) {
        BroadcastOptions o = new BroadcastOptions();
        o.rootRank(0);
        o.timeout(new Milliseconds(timeout.toMillis()));
        finish(group.broadcast(new TensorVector(t.raw()), o), "broadcasting weights");
      }
    }
  }


  private void finish(Work work, String what) {
    try {
      work._wait(new Milliseconds(timeout.toMillis()));
    } catch (RuntimeException e) {
      throw new MedsslException("rank " + env.rank() + " of " + env.world() + ": " + what + " failed (another rank"
          + " stopped or the network broke; timeout " + timeout.toSeconds() + " s): " + e.getMessage(), e);
    }
  }
}
