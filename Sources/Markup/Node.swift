internal import CLibXML2

/// A node of an ``XMLTree`` or ``HTMLTree``: a thin view of libxml2's node.
///
/// A `Node` is one pointer; it does not keep its tree alive and is valid only while the tree
/// that produced it is. Not `Sendable`. Walks are iterative, so deeply nested documents cannot
/// overflow the stack.
public struct Node {
    /// What a node is.
    public enum Kind: Sendable {
        /// An element.
        case element
        /// Character data.
        case text
        /// A CDATA section.
        case cdata
        /// A comment.
        case comment
        /// Anything else (processing instruction, entity reference, DTD, …).
        case other
    }

    private let raw: UnsafeMutableRawPointer

    init(_ raw: UnsafeMutableRawPointer) {
        self.raw = raw
    }

    private var pointer: xmlNodePtr { raw.assumingMemoryBound(to: xmlNode.self) }

    /// The libxml2 node, for the module's own helpers.
    var rawPointer: UnsafeMutableRawPointer { raw }

    private static func wrap(_ pointer: xmlNodePtr?) -> Node? {
        pointer.map { Node(UnsafeMutableRawPointer($0)) }
    }

    /// Whether two values refer to the same libxml2 node.
    ///
    /// - Parameter other: Another node.
    /// - Returns: `true` for the same node.
    public func isSame(as other: Node) -> Bool { raw == other.raw }

    /// The node's kind.
    public var kind: Kind {
        switch pointer.pointee.type {
        case XML_ELEMENT_NODE: return .element
        case XML_TEXT_NODE: return .text
        case XML_CDATA_SECTION_NODE: return .cdata
        case XML_COMMENT_NODE: return .comment
        default: return .other
        }
    }

    /// Whether this is an element.
    public var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }

    /// The element's local name (lower-case in HTML trees); `#text` etc. for other nodes.
    public var name: String { xmlString(pointer.pointee.name) ?? "" }

    /// Whether the element's local name equals `name`, without allocating.
    ///
    /// - Parameter name: A local name, compared byte for byte.
    /// - Returns: `true` when it matches.
    public func hasName(_ name: StaticString) -> Bool {
        guard let own = pointer.pointee.name else { return false }
        return name.withUTF8Buffer { buffer in
            var index = 0
            while index < buffer.count {
                if own[index] != buffer[index] { return false }
                index += 1
            }
            return own[index] == 0
        }
    }

    /// The element's namespace prefix, if any.
    public var prefix: String? { xmlString(pointer.pointee.ns?.pointee.prefix) }

    /// The element's namespace URI, if any.
    public var namespaceURI: String? { xmlString(pointer.pointee.ns?.pointee.href) }

    /// The line the node starts on (0 when unknown).
    public var line: Int { Int(xmlGetLineNo(pointer)) }

    /// The value of the attribute with this local name (in any namespace).
    ///
    /// - Parameter name: The attribute's local name (lower-case in HTML trees).
    /// - Returns: The value with entities decoded, or `nil` when absent.
    public func attribute(_ name: String) -> String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return nil }
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, strcmpUTF8(attributeName, name) {
                return Self.value(of: current)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// The value of the attribute with this local name in this namespace.
    ///
    /// - Parameters:
    ///   - name: The local name.
    ///   - namespaceURI: The namespace URI (e.g. `http://www.w3.org/1999/02/22-rdf-syntax-ns#`).
    /// - Returns: The value, or `nil` when absent.
    public func attribute(_ name: String, namespaceURI: String) -> String? {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return nil }
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, strcmpUTF8(attributeName, name),
                let href = current.pointee.ns?.pointee.href, strcmpUTF8(href, namespaceURI)
            {
                return Self.value(of: current)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// All attributes in document order (local names).
    public var attributes: [(name: String, value: String)] {
        guard pointer.pointee.type == XML_ELEMENT_NODE else { return [] }
        var result: [(name: String, value: String)] = []
        var attribute = pointer.pointee.properties
        while let current = attribute {
            result.append((xmlString(current.pointee.name) ?? "", Self.value(of: current)))
            attribute = current.pointee.next
        }
        return result
    }

    private static func value(of attribute: xmlAttrPtr) -> String {
        if let child = attribute.pointee.children, child.pointee.next == nil,
            child.pointee.type == XML_TEXT_NODE
        {
            return xmlString(child.pointee.content) ?? ""
        }
        return takeXMLString(xmlNodeListGetString(attribute.pointee.doc, attribute.pointee.children, 1)) ?? ""
    }

    /// The parent node; `nil` for the document element.
    public var parent: Node? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return Self.wrap(parent)
    }

    /// The first child node.
    public var firstChild: Node? { Self.wrap(pointer.pointee.children) }

    /// The last child node.
    public var lastChild: Node? { Self.wrap(pointer.pointee.last) }

    /// The next sibling node.
    public var nextSibling: Node? { Self.wrap(pointer.pointee.next) }

    /// The previous sibling node.
    public var previousSibling: Node? { Self.wrap(pointer.pointee.prev) }

    /// The child nodes in order.
    public var children: NodeChildren { NodeChildren(first: firstChild) }

    /// The child elements in order.
    public var elementChildren: [Node] { children.filter { $0.isElement } }

    /// Every node below this one in document order (pre-order), not including this one.
    public var descendants: NodeDescendants { NodeDescendants(root: self) }

    /// The text: own content for text and CDATA nodes, the concatenated text of all descendant
    /// text and CDATA nodes for elements.
    ///
    /// Only text children are read, never `xmlNodeGetContent` on entity references, so a
    /// document cannot make this allocate more than its own size.
    public var text: String {
        switch pointer.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE, XML_COMMENT_NODE:
            return xmlString(pointer.pointee.content) ?? ""
        case XML_ELEMENT_NODE:
            // Fast path: one text child.
            if let child = pointer.pointee.children, child.pointee.next == nil,
                child.pointee.type == XML_TEXT_NODE || child.pointee.type == XML_CDATA_SECTION_NODE
            {
                return xmlString(child.pointee.content) ?? ""
            }
            var result = ""
            for node in descendants {
                let type = node.pointer.pointee.type
                if type == XML_TEXT_NODE || type == XML_CDATA_SECTION_NODE, let content = node.pointer.pointee.content {
                    result += String(cString: content)
                }
            }
            return result
        default:
            return ""
        }
    }

    /// The base URL in effect at this node: `xml:base` attributes resolved against the
    /// document URL.
    public var baseURL: String? {
        takeXMLString(xmlNodeGetBase(pointer.pointee.doc, pointer))
    }

    /// The outer HTML of this node (HTML serialization rules, UTF-8 text).
    ///
    /// - Returns: The markup of the node and its descendants.
    public func serializedHTML() -> String {
        dump { buffer in _ = htmlNodeDump(buffer, pointer.pointee.doc, pointer) }
    }

    /// The inner HTML of this node: its children serialized, without its own tags.
    ///
    /// - Returns: The markup of the children.
    public func serializedInnerHTML() -> String {
        dump { buffer in
            var child = pointer.pointee.children
            while let current = child {
                _ = htmlNodeDump(buffer, pointer.pointee.doc, current)
                child = current.pointee.next
            }
        }
    }

    /// The outer XML of this node.
    ///
    /// - Returns: The XML markup of the node and its descendants.
    public func serializedXML() -> String {
        dump { buffer in _ = xmlNodeDump(buffer, pointer.pointee.doc, pointer, 0, 0) }
    }

    private func dump(_ body: (xmlBufferPtr) -> Void) -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        body(buffer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        return String(cString: content)
    }

    /// Unlinks this node from its tree and frees it with its descendants.
    ///
    /// The node and every `Node` below it become invalid. Use only on a tree you own.
    public func remove() {
        xmlUnlinkNode(pointer)
        xmlFreeNode(pointer)
    }

    /// Replaces this element by its children (keeps the content, drops the tags), then frees it.
    ///
    /// A moved text node may be merged into an adjacent text node and freed (libxml2 does this),
    /// so hold no `Node` of this element's children across the call.
    public func unwrap() {
        var child = pointer.pointee.children
        while let current = child {
            child = current.pointee.next
            xmlUnlinkNode(current)
            xmlAddPrevSibling(pointer, current)
        }
        remove()
    }

    /// Removes the attribute with this local name (in any namespace), if present.
    ///
    /// - Parameter name: The attribute's local name.
    public func removeAttribute(_ name: String) {
        var attribute = pointer.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            if let attributeName = current.pointee.name, strcmpUTF8(attributeName, name) {
                xmlRemoveProp(current)
            }
        }
    }

    /// Sets (or replaces) an attribute without a namespace.
    ///
    /// - Parameters:
    ///   - name: The attribute name.
    ///   - value: The value (escaped when serialized).
    public func setAttribute(_ name: String, to value: String) {
        _ = xmlSetProp(pointer, name, value)
    }
}

/// Compares a libxml2 string with a Swift string byte for byte.
private func strcmpUTF8(_ lhs: UnsafePointer<xmlChar>, _ rhs: String) -> Bool {
    var rhs = rhs
    return rhs.withUTF8 { buffer in
        var index = 0
        while index < buffer.count {
            if lhs[index] != buffer[index] { return false }
            index += 1
        }
        return lhs[index] == 0
    }
}

/// The children of a ``Node`` as a sequence.
///
/// Removing the current node while iterating is safe: the next sibling is read first.
public struct NodeChildren: Sequence {
    let first: Node?

    /// Iterates over sibling nodes.
    public struct Iterator: IteratorProtocol {
        var upcoming: Node?

        /// The next sibling.
        ///
        /// - Returns: The next node, or `nil` at the end.
        public mutating func next() -> Node? {
            guard let current = upcoming else { return nil }
            upcoming = current.nextSibling
            return current
        }
    }

    /// Makes an iterator.
    ///
    /// - Returns: An iterator starting at the first child.
    public func makeIterator() -> Iterator { Iterator(upcoming: first) }
}

/// The descendants of a ``Node`` in document order, without recursion.
///
/// Do not remove nodes while iterating; collect them first.
public struct NodeDescendants: Sequence {
    let root: Node

    /// Iterates in pre-order.
    public struct Iterator: IteratorProtocol {
        let root: Node
        var current: Node?

        /// The next node in document order.
        ///
        /// - Returns: The next descendant, or `nil` at the end.
        public mutating func next() -> Node? {
            guard let node = current else { return nil }
            if let child = node.firstChild {
                current = child
                return node
            }
            var cursor = node
            while true {
                if cursor.isSame(as: root) {
                    current = nil
                    return node
                }
                if let sibling = cursor.nextSibling {
                    current = sibling
                    return node
                }
                guard let up = cursor.parentOrNil else {
                    current = nil
                    return node
                }
                cursor = up
            }
        }
    }

    /// Makes an iterator.
    ///
    /// - Returns: A pre-order iterator below the root.
    public func makeIterator() -> Iterator { Iterator(root: root, current: root.firstChild) }
}

extension Node {
    /// The parent of any kind (including a document node), for walks that must not skip levels.
    fileprivate var parentOrNil: Node? { Self.wrap(pointer.pointee.parent) }
}
