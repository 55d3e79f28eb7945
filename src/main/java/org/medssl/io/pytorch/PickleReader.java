package org.medssl.io.pytorch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medssl.MedsslException;

/**
 * The subset of Python's pickle that {@code torch.save} writes for a {@code state_dict} (protocol 2,
 * also read up to 5): dicts and {@code OrderedDict}s of tensors, nested dicts of checkpoints, and
 * the scalars and tuples around them. Nothing is executed: a {@code GLOBAL} is a {@link Global}
 * name, a call ({@code REDUCE}, {@code NEWOBJ}) of a global we know becomes its value
 * ({@code OrderedDict()} a map, {@code _rebuild_tensor_v2} a {@link TensorRef}), any other call a
 * {@link PyObject} that keeps the state {@code BUILD} gives it. Persistent ids ({@code BINPERSID}) are torch's
 * storage references, {@link StorageRef}.
 *
 * <p>Every length is checked against the bytes left, so a truncated or hostile file is one
 * {@link MedsslException} and never a large allocation.
 */
final class PickleReader {
  /** A {@code module.name} reference (a class or function), never resolved. */
  record Global(String module, String name) {
    String qualified() {
      return module + "." + name;
    }
  }

  /**
   * An object built by a call of a global we do not interpret: its type, its arguments and the
   * state a later {@code BUILD} gave it (TorchScript modules keep their attributes, submodules and
   * parameters there).
   */
  static final class PyObject {
    final Global type;
    final Object args;
    final Map<Object, Object> state = new LinkedHashMap<>();

    PyObject(Global type, Object args) {
      this.type = type;
      this.args = args;
    }
  }

  /** torch's persistent storage id: {@code ('storage', torch.FloatStorage, key, location, numel)}. */
  record StorageRef(String key, String dtype, long numel) {}

  /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)}. */
  record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

  private static final Object MARK = new Object();
  private static final Object NONE = new Object();

  private final ByteBuffer in;
  private final String source;
  private final List<Object> stack = new ArrayList<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private PickleReader(byte[] bytes, String source) {
    this.in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    this.source = source;
  }

  /** The object the pickle {@code bytes} (named {@code source} in errors) holds. */
  static Object read(byte[] bytes, String source) {
    try {
      return new PickleReader(bytes, source).run();
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | ClassCastException e) {
      throw new MedsslException(source + ": malformed pickle (" + e.getClass().getSimpleName() + ")");
    }
  }


  private Object run() {
    while (true) {
      int op = in.get() & 0xff;
      switch (op) {
        case 0x80 -> in.get(); // PROTO
        case 0x95 -> in.getLong(); // FRAME: a length hint
        case '.' -> { // STOP
          return pop();
        }
        case 'c' -> push(new Global(line(), line())); // GLOBAL
        case 0x93 -> { // STACK_GLOBAL
          String name = (String) pop();
          push(new Global((String) pop(), name));
        }
        case 'X' -> push(text(in.getInt())); // BINUNICODE
        case 0x8c -> push(text(in.get() & 0xff)); // SHORT_BINUNICODE
        case 0x8d -> push(text(length(in.getLong()))); // BINUNICODE8
        case 'T' -> push(text(in.getInt())); // BINSTRING
        case 'U' -> push(text(in.get() & 0xff)); // SHORT_BINSTRING
        case 'B' -> push(bytes(in.getInt())); // BINBYTES
        case 'C' -> push(bytes(in.get() & 0xff)); // SHORT_BINBYTES
        case 'J' -> push((long) in.getInt()); // BININT
        case 'K' -> push((long) (in.get() & 0xff)); // BININT1
        case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
        case 0x8a -> push(long1(in.get() & 0xff)); // LONG1
        case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT, big-endian
        case 0x88 -> push(Boolean.TRUE); // NEWTRUE
        case 0x89 -> push(Boolean.FALSE); // NEWFALSE
        case 'N' -> push(NONE);
        case '}' -> push(new LinkedHashMap<Object, Object>()); // EMPTY_DICT
        case ']' -> push(new ArrayList<>()); // EMPTY_LIST
        case ')' -> push(List.of()); // EMPTY_TUPLE
        case '(' -> push(MARK);
        case 't' -> push(List.copyOf(popToMark())); // TUPLE
        case 0x85 -> push(tuple(1)); // TUPLE1
        case 0x86 -> push(tuple(2)); // TUPLE2
        case 0x87 -> push(tuple(3)); // TUPLE3
        case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
        case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
        case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
        case 'h' -> push(memo((long) (in.get() & 0xff))); // BINGET
        case 'j' -> push(memo(in.getInt() & 0xffffffffL)); // LONG_BINGET
        case 's' -> { // SETITEM
          Object value = pop();
          Object key = pop();
          dict(peek()).put(key, value);
        }
        case 'u' -> { // SETITEMS
          List<Object> items = popToMark();
          Map<Object, Object> dict = dict(peek());
          for (int i = 0; i + 1 < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
          }
        }
        case 'a' -> { // APPEND
          Object item = pop();
          list(peek()).add(item);
        }
        case 'e' -> { // APPENDS
          List<Object> items = popToMark();
          list(peek()).addAll(items);
        }
        case 'R', 0x81 -> { // REDUCE, NEWOBJ
          Object args = pop();
          push(call(pop(), (List<?>) args));
        }
        case 'b' -> build(pop(), peek()); // BUILD: an object's state
        case 'Q' -> push(storage(pop())); // BINPERSID
        default -> throw new MedsslException(source + ": unsupported pickle opcode 0x" + Integer.toHexString(op)
            + " at byte " + (in.position() - 1) + " (not a state_dict saved by torch.save?)");
      }
    }
  }

  private Object call(Object callable, List<?> args) {
    if (!(callable instanceof Global g)) {
      throw new MedsslException(source + ": a pickle call of " + callable + ", not of a global");
    }
    return switch (g.qualified()) {
      case "collections.OrderedDict", "builtins.dict" -> new LinkedHashMap<Object, Object>();
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> tensor(args);
      case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> args.get(0);
      default -> new PyObject(g, args);
    };
  }

  /** Keeps the state of an object we built (a TorchScript module's attributes); any other state is not needed. */
  private static void build(Object state, Object target) {
    if (target instanceof PyObject o && state instanceof Map<?, ?> m) {
      m.forEach(o.state::put);
    }
  }

  private TensorRef tensor(List<?> args) {
    if (!(args.get(0) instanceof StorageRef storage)) {
      throw new MedsslException(source + ": a tensor without a storage reference");
    }
    return new TensorRef(storage, (Long) args.get(1), longs((List<?>) args.get(2)), longs((List<?>) args.get(3)));
  }

  private StorageRef storage(Object pid) {
    List<?> id = (List<?>) pid;
    if (id.size() < 5 || !"storage".equals(id.get(0)) || !(id.get(1) instanceof Global type)) {
      throw new MedsslException(source + ": unknown persistent id " + pid);
    }
    return new StorageRef((String) id.get(2), type.name(), (Long) id.get(4));
  }

  private static long[] longs(List<?> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Long) values.get(i);
    }
    return out;
  }

  private String line() {
    StringBuilder sb = new StringBuilder();
    for (byte b = in.get(); b != '\n'; b = in.get()) {
      sb.append((char) b);
    }
    return sb.toString();
  }

  private int length(long n) {
    if (n < 0 || n > in.remaining()) {
      throw new MedsslException(source + ": pickle string of " + n + " bytes with " + in.remaining() + " left");
    }
    return (int) n;
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[length(n)];
    in.get(b);
    return b;
  }

  private String text(int n) {
    return new String(bytes(n), StandardCharsets.UTF_8);
  }

  /** A little-endian two's-complement integer of {@code n} bytes (LONG1), as a long. */
  private long long1(int n) {
    if (n > 8) {
      throw new MedsslException(source + ": integer of " + n + " bytes in the pickle");
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (in.get() & 0xffL) << (8 * i);
    }
    return n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0 ? v - (1L << (8 * n)) : v;
  }

  private List<Object> tuple(int n) {
    Object[] items = new Object[n];
    for (int i = n - 1; i >= 0; i--) {
      items[i] = pop();
    }
    return List.of(items);
  }

  private Object memo(long key) {
    Object o = memo.get(key);
    if (o == null) {
      throw new MedsslException(source + ": pickle refers to memo entry " + key + " that was never stored");
    }
    return o;
  }

  @SuppressWarnings("unchecked")
  private Map<Object, Object> dict(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw new MedsslException(source + ": pickle sets an item on a " + describe(o) + ", not a dict");
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object o) {
    if (o instanceof ArrayList<?> l) {
      return (List<Object>) l;
    }
    throw new MedsslException(source + ": pickle appends to a " + describe(o) + ", not a list");
  }

  private static String describe(Object o) {
    return o == null ? "nothing" : o.getClass().getSimpleName();
  }

  private void push(Object o) {
    stack.add(o);
  }

  private Object pop() {
    if (stack.isEmpty()) {
      throw new MedsslException(source + ": pickle stack underflow");
    }
    Object o = stack.remove(stack.size() - 1);
    if (o == MARK) {
      throw new MedsslException(source + ": pickle pops a mark");
    }
    return o;
  }

  private Object peek() {
    if (stack.isEmpty()) {
      throw new MedsslException(source + ": pickle stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private List<Object> popToMark() {
    int mark = stack.lastIndexOf(MARK);
    if (mark < 0) {
      throw new MedsslException(source + ": pickle has no mark to pop to");
    }
    List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }
}
