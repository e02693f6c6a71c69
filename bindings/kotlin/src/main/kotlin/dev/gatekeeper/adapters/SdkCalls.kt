// Reflection over an SDK's public API, recording each call by name for logs and results.
package dev.gatekeeper.adapters

import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier

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
        var k: Class<*>? = c
        while (k != null) {
            if (Modifier.isPublic(k.modifiers) && k.declaredMethods.any { it.name == name }) return k.simpleName
            k = k.superclass
        }
        return c.simpleName
    }

    private fun findMethod(c: Class<*>, name: String, args: Array<out Any?>, static: Boolean): Method? =
        c.methods.firstOrNull {
            it.name == name && Modifier.isStatic(it.modifiers) == static && accepts(it.parameterTypes, args)
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
            else -> a.javaClass.simpleName.ifEmpty { "object" }
        }
    }
}
