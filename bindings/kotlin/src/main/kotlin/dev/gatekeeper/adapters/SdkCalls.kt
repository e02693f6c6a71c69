// Reflection over an SDK's public API, recording each call by name for logs and results.
package dev.gatekeeper.adapters

import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.lang.reflect.Proxy

/** A call into an SDK failed: [call] is its name, [error] the exception's class (never its text). */
class SdkCallException(val call: String, val error: String) : Exception("$call failed: $error")

/**
 * Calls an SDK's methods by name through reflection, so the library compiles without the
 * SDK. Methods are matched by name and by the arguments given (an `android.content.Context`
 * passed as `Any` matches a `Context` parameter at run time). Every call made is recorded in
 * [made] as `Class.method(args)`; arguments are shown as booleans, enum names or a type name,
 * never as their values (a URL or a context is shown as its type).
 */
class SdkCalls(private val loader: ClassLoader) {
    val made = ArrayList<String>()

    /** The failures [attempt] caught, in order. */
    val failures = ArrayList<SdkCallException>()

    /**
     * The asynchronous outcomes of the calls made ([task], [callback]), in order: a call that
     * returned a task has not succeeded until its task has.
     */
    val outcomes = ArrayList<Outcome>()

    /** The [outcomes] still unknown when the switch ended, which the adapter then waits for. */
    val outstanding = ArrayList<Outcome>()

    /**
     * The outcome of one asynchronous SDK call ([call] is its name): completed once, with null
     * (success) or the failure's exception class name. Thread-safe.
     */
    class Outcome(val call: String) {
        private var done = false
        private var error: String? = null
        private var waiter: ((String?) -> Unit)? = null

        /** Whether it has completed. */
        val isDone: Boolean get() = synchronized(this) { done }

        /** The failure's class name, or null (success or not completed yet). */
        val failure: String? get() = synchronized(this) { error }

        /** Completes it (only the first completion counts), telling the waiter if any. */
        fun complete(error: String?) {
            val w = synchronized(this) {
                if (done) return
                done = true
                this.error = error
                waiter.also { waiter = null }
            }
            w?.invoke(error)
        }

        /** Runs [block] with the outcome once it is known: now when it already is. */
        fun whenDone(block: (String?) -> Unit) {
            val now = synchronized(this) {
                if (!done) {
                    waiter = block
                    return
                }
                error
            }
            block(now)
        }
    }

    /**
     * Follows the SDK task [task] returned by the call [call] (`com.google.android.gms.tasks.Task`
     * or HMS's `com.huawei.hmf.tasks.Task`, which share `isComplete()`, `isSuccessful()`,
     * `getException()` and `addOnCompleteListener(OnCompleteListener)`): its outcome is added to
     * [outcomes]. A task already complete is read at once; otherwise a completion listener is
     * added (a [Proxy] of the SDK's `OnCompleteListener`). Nothing here blocks.
     */
    fun task(call: String, task: Any?) {
        val outcome = Outcome(call)
        outcomes += outcome
        if (task == null) return outcome.complete("NullTask")
        try {
            if (plain(task, "isComplete") == true) return outcome.complete(taskError(task))
            val add = task.javaClass.methods.firstOrNull {
                it.name == "addOnCompleteListener" && it.parameterTypes.size == 1 && it.parameterTypes[0].isInterface
            } ?: return outcome.complete("NoSuchMethodException")
            val listener = proxy(add.parameterTypes[0]) { name, args ->
                if (name == "onComplete") {
                    val done = args.firstOrNull()
                    outcome.complete(if (done == null) "NullTask" else taskError(done))
                }
            }
            add.invoke(task, listener)
        } catch (e: ReflectiveOperationException) {
            outcome.complete(((e as? InvocationTargetException)?.targetException ?: e).javaClass.simpleName)
        } catch (e: RuntimeException) {
            outcome.complete(e.javaClass.simpleName)
        }
    }

    /**
     * A callback object implementing the SDK interface [interfaceName] (such as
     * `androidx.credentials.CredentialManagerCallback`, with `onResult(R)` and `onError(E)`),
     * whose outcome, for the call [call], is added to [outcomes]: `onResult` succeeds, `onError`
     * fails with the error's class name.
     */
    fun callback(call: String, interfaceName: String): Any {
        val outcome = Outcome(call)
        outcomes += outcome
        return proxy(cls(interfaceName)) { name, args ->
            when (name) {
                "onResult" -> outcome.complete(null)
                "onError" -> outcome.complete(args.firstOrNull()?.javaClass?.simpleName ?: "Error")
            }
        }
    }

    /** Calls the method [name] on [target], which returns an SDK task, and follows it ([task]). */
    fun onTask(target: Any, name: String, vararg args: Any?) {
        val result = on(target, name, *args)
        task(made.last(), result)
    }

    /** Success (null) or the failure of a completed task. */
    private fun taskError(task: Any): String? {
        if (plain(task, "isSuccessful") == true) return null
        if (plain(task, "isCanceled") == true) return "Canceled"
        return (plain(task, "getException") as? Throwable)?.javaClass?.simpleName ?: "TaskFailed"
    }

    /** Calls the no-argument method [name] on [target] without recording it (a task's state). */
    private fun plain(target: Any, name: String): Any? =
        target.javaClass.methods.firstOrNull { it.name == name && it.parameterTypes.isEmpty() }?.invoke(target)

    /** An implementation of [iface] whose methods call [onCall]; `Object`'s own methods behave as usual. */
    private fun proxy(iface: Class<*>, onCall: (String, Array<out Any?>) -> Unit): Any =
        Proxy.newProxyInstance(iface.classLoader, arrayOf(iface)) { self, m, args ->
            when (m.name) {
                "equals" -> self === args?.get(0)
                "hashCode" -> System.identityHashCode(self)
                "toString" -> "${iface.simpleName}(gatekeeper)"
                else -> {
                    onCall(m.name, args ?: emptyArray())
                    null
                }
            }
        }

    /**
     * Runs [step]; a failure is recorded in [failures] instead of thrown, so that the steps
     * after it still run. For switching off, where every kill switch reached counts.
     */
    fun attempt(step: () -> Unit) {
        try {
            step()
        } catch (e: SdkCallException) {
            failures += e
        }
    }

    /** The class, or null when the SDK is not in the app. */
    fun classOrNull(name: String): Class<*>? = try {
        Class.forName(name, false, loader)
    } catch (e: ClassNotFoundException) {
        null
    } catch (e: LinkageError) {
        null
    }

    /** The class; a missing one is a failed call. */
    fun cls(name: String): Class<*> = classOrNull(name)
        ?: throw SdkCallException(name.substringAfterLast('.'), "ClassNotFoundException")

    /** Calls the static method [name] of [className]. */
    fun static(className: String, name: String, vararg args: Any?): Any? {
        val c = cls(className)
        return invoke(c, null, name, args)
    }

    /** Calls the method [name] on [target]. */
    fun on(target: Any, name: String, vararg args: Any?): Any? = invoke(target.javaClass, target, name, args)

    /** Creates [className] with the constructor that takes [args]. */
    fun construct(className: String, vararg args: Any?): Any {
        val c = cls(className)
        val label = "new ${c.simpleName}(${render(args)})"
        val ctor = c.constructors.firstOrNull { accepts(it.parameterTypes, args) }
            ?: throw SdkCallException(label, "NoSuchMethodException")
        made += label
        return unwrap(label) { ctor.newInstance(*args) }
    }

    /** The value of the static field [name] of [className]. */
    fun staticField(className: String, name: String): Any? {
        val c = cls(className)
        val label = "${c.simpleName}.$name"
        val f = try {
            c.getField(name)
        } catch (e: NoSuchFieldException) {
            throw SdkCallException(label, "NoSuchFieldException")
        }
        return f.get(null)
    }

    /** The constant [name] of the enum [className], or null when this SDK version lacks it. */
    fun enumConstant(className: String, name: String): Any? =
        cls(className).enumConstants?.firstOrNull { (it as Enum<*>).name == name }

    private fun invoke(c: Class<*>, target: Any?, name: String, args: Array<out Any?>): Any? {
        val fallback = "${c.simpleName}.$name(${render(args)})"
        // Looking methods up resolves their parameter types: a class of the SDK's own missing
        // dependencies fails here, as a LinkageError, and must not escape to the app.
        val (label, m) = try {
            "${ownerName(c, name)}.$name(${render(args)})" to findMethod(c, name, args, static = target == null)
        } catch (e: LinkageError) {
            throw SdkCallException(fallback, e.javaClass.simpleName)
        }
        if (m == null) throw SdkCallException(label, "NoSuchMethodException")
        made += label
        return unwrap(label) { m.invoke(target, *args) }
    }

    private inline fun <T> unwrap(label: String, block: () -> T): T = try {
        block()
    } catch (e: InvocationTargetException) {
        throw SdkCallException(label, (e.targetException ?: e).javaClass.simpleName)
    } catch (e: ReflectiveOperationException) {
        throw SdkCallException(label, e.javaClass.simpleName)
    } catch (e: RuntimeException) {
        throw SdkCallException(label, e.javaClass.simpleName)
    } catch (e: LinkageError) {
        // A static initialiser that failed, or a class missing at run time.
        throw SdkCallException(label, e.javaClass.simpleName)
    }

    private fun ownerName(c: Class<*>, name: String): String {
        // Name the public type that declares the method (an SDK's instance is often a
        // private subclass of the documented class).
        return publicTypes(c).firstOrNull { k -> k.declaredMethods.any { it.name == name } }?.simpleName ?: c.simpleName
    }

    private fun findMethod(c: Class<*>, name: String, args: Array<out Any?>, static: Boolean): Method? {
        val m = c.methods.firstOrNull {
            it.name == name && Modifier.isStatic(it.modifiers) == static && accepts(it.parameterTypes, args)
        } ?: return null
        if (static || Modifier.isPublic(m.declaringClass.modifiers)) return m
        // An SDK object of a non-public class (an interface's private implementation, such as
        // Credential Manager's): call it through the public type that declares the method,
        // which reflection may invoke.
        return publicTypes(c).firstNotNullOfOrNull { t ->
            try {
                t.getMethod(m.name, *m.parameterTypes)
            } catch (e: NoSuchMethodException) {
                null
            }
        } ?: m
    }

    /** The public classes and interfaces [c] is (itself, its superclasses, their interfaces). */
    private fun publicTypes(c: Class<*>): List<Class<*>> {
        val out = LinkedHashSet<Class<*>>()
        fun add(k: Class<*>?) {
            if (k == null || !out.add(k)) return
            add(k.superclass)
            k.interfaces.forEach { add(it) }
        }
        add(c)
        return out.filter { Modifier.isPublic(it.modifiers) }
    }

    private fun accepts(types: Array<Class<*>>, args: Array<out Any?>): Boolean {
        if (types.size != args.size) return false
        return types.indices.all { i ->
            val a = args[i]
            val t = types[i]
            if (a == null) !t.isPrimitive else box(t).isInstance(a)
        }
    }

    /** The wrapper class of a primitive type (`boolean` -> `java.lang.Boolean`), else the type. */
    private fun box(t: Class<*>): Class<*> = t.kotlin.javaObjectType

    private fun render(args: Array<out Any?>): String = args.joinToString { a ->
        when (a) {
            null -> "null"
            is Boolean -> a.toString()
            is Enum<*> -> a.name
            is Map<*, *> -> a.entries.joinToString(", ", "{", "}") { "${render(arrayOf(it.key))}=${render(arrayOf(it.value))}" }
            is java.util.concurrent.Executor -> "Executor"
            else -> if (Proxy.isProxyClass(a.javaClass)) {
                a.javaClass.interfaces.firstOrNull()?.simpleName ?: "object"
            } else {
                a.javaClass.simpleName.ifEmpty { "object" }
            }
        }
    }
}
