package dev.intake.worker.imaging.svg;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.intake.worker.imaging.DecodePool;
import dev.intake.worker.imaging.UnreadableImageException;

/**
 * Bounds how many elements an SVG document stands for once every {@code <use>} is expanded, so a
 * few kilobytes of nested references (ten {@code <use>} of a group of ten {@code <use>} of …, the
 * billion-laughs attack by reference) cannot make a renderer build millions of elements. Fed the
 * document's elements in order; a {@code <use>} counts as itself plus the expanded size of the
 * element it names. A reference loop is refused; a reference to no element counts nothing.
 * Memory is bounded by the budget: a document with more elements than that is refused as it is
 * read.
 */
final class SvgUseBudget {

	/** Largest number of elements a document may stand for, {@code <use>} references expanded. */
	static final int MAX_EXPANDED_ELEMENTS = 100_000;

	private final int max;

	private int count;

	private int[] firstChild = new int[64];

	private int[] nextSibling = new int[64];

	private int[] lastChild = new int[64];

	/** Per element, the number of the id its {@code <use>} names (see {@link #targetIndex}), or -1. */
	private int[] reference = new int[64];

	private int[] stack = new int[16];

	private int depth;

	private final Map<String, Integer> ids = new HashMap<>();

	private final Map<String, Integer> targetIndex = new HashMap<>();

	SvgUseBudget() {
		this(MAX_EXPANDED_ELEMENTS);
	}

	SvgUseBudget(int max) {
		this.max = max;
	}

	/**
	 * An element starts.
	 * @param id its {@code id}, or null
	 * @param useTarget for a {@code <use>}, the id its fragment link names; else null
	 */
	void start(String id, String useTarget) throws SvgActiveContentException {
		if (count >= max) {
			throw tooMany();
		}
		int node = count++;
		grow(node);
		firstChild[node] = -1;
		nextSibling[node] = -1;
		lastChild[node] = -1;
		reference[node] = (useTarget == null) ? -1 : targetOf(useTarget);
		if (depth > 0) {
			int parent = stack[depth - 1];
			if (lastChild[parent] < 0) {
				firstChild[parent] = node;
			}
			else {
				nextSibling[lastChild[parent]] = node;
			}
			lastChild[parent] = node;
		}
		if (id != null) {
			// the first element with an id is the one a reference finds
			ids.putIfAbsent(id.trim(), node);
		}
		if (depth == stack.length) {
			stack = Arrays.copyOf(stack, depth * 2);
		}
		stack[depth++] = node;
	}

	/** The innermost open element ends. */
	void end() {
		if (depth > 0) {
			depth--;
		}
	}

	/**
	 * Checks the whole document once all of it was fed.
	 * @throws SvgActiveContentException when its expansion exceeds the budget or loops
	 * @throws UnreadableImageException when the decode was cancelled
	 */
	void finish() throws UnreadableImageException {
		if (count == 0) {
			return;
		}
		int[] node2target = new int[targetIndex.size()];
		for (Map.Entry<String, Integer> target : targetIndex.entrySet()) {
			node2target[target.getValue()] = ids.getOrDefault(target.getKey(), -1);
		}
		// expanded size per element: 0 not yet known, -1 being computed (a loop when met again)
		long[] size = new long[count];
		int[] work = new int[16];
		int top = 0;
		work[top++] = 0;
		while (top > 0) {
			DecodePool.checkCancelled();
			int node = work[top - 1];
			if (size[node] > 0) {
				top--;
				continue;
			}
			boolean ready = true;
			if (size[node] == 0) {
				size[node] = -1;
			}
			int target = (reference[node] < 0) ? -1 : node2target[reference[node]];
			for (int child = firstChild[node], next = target; child >= 0 || next >= 0;) {
				int dependency;
				if (child >= 0) {
					dependency = child;
					child = nextSibling[child];
				}
				else {
					dependency = next;
					next = -1;
				}
				if (size[dependency] == -1) {
					// everything above an element in progress on the stack is what it depends on
					throw new SvgActiveContentException("it has a <use> reference loop");
				}
				if (size[dependency] == 0) {
					if (top == work.length) {
						work = Arrays.copyOf(work, top * 2);
					}
					work[top++] = dependency;
					ready = false;
				}
			}
			if (!ready) {
				continue;
			}
			long total = 1;
			for (int child = firstChild[node]; child >= 0; child = nextSibling[child]) {
				total += size[child];
			}
			if (target >= 0) {
				total += size[target];
			}
			if (total > max) {
				throw tooMany();
			}
			size[node] = total;
			top--;
		}
	}

	private SvgActiveContentException tooMany() {
		return new SvgActiveContentException(
				"it stands for more than " + max + " elements once its <use> references are expanded");
	}

	private int targetOf(String id) {
		String key = id.trim();
		Integer index = targetIndex.get(key);
		if (index == null) {
			index = targetIndex.size();
			targetIndex.put(key, index);
		}
		return index;
	}

	private void grow(int node) {
		if (node < firstChild.length) {
			return;
		}
		int size = Math.min(max, firstChild.length * 2);
		firstChild = Arrays.copyOf(firstChild, size);
		nextSibling = Arrays.copyOf(nextSibling, size);
		lastChild = Arrays.copyOf(lastChild, size);
		reference = Arrays.copyOf(reference, size);
	}

}
