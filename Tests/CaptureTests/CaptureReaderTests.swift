#if canImport(Glibc)
import Glibc
#endif
import Base
import Foundation
import Testing
@testable import Capture
import TestSupport

@Suite struct CaptureReaderTests {
    let dir = TempDir()

    @Test(arguments: [false, true])
    func classicPcapMicroseconds(bigEndian: Bool) throws {
        let records = [PcapRecord(seconds: 1_700_000_000, fraction: 654_321, data: [1, 2, 3]),
                       PcapRecord(seconds: 1_700_000_001, fraction: 1, data: [4, 5], originalLength: 60)]
        let path = dir.write("f.pcap", CaptureFile.pcap(bigEndian: bigEndian, linkType: 1, records))
        let (frames, problems, reader) = try readAll(path)
        #expect(problems.isEmpty)
        #expect(reader.format == "pcap")
        #expect(frames.map(\.number) == [1, 2])
        #expect(frames.map(\.bytes) == [[1, 2, 3], [4, 5]])
        #expect(frames[0].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 654_321_000))
        #expect(frames[1].timestamp == Timestamp(seconds: 1_700_000_001, nanoseconds: 1_000))
        #expect(frames[0].linkType == .ethernet)
        #expect(!frames[0].isTruncatedByCapture)
        #expect(frames[1].originalLength == 60 && frames[1].isTruncatedByCapture)
    }

    @Test(arguments: [false, true])
    func classicPcapNanosecondsKeepsExactNanoseconds(bigEndian: Bool) throws {
        let records = [PcapRecord(seconds: 1_700_000_000, fraction: 123_456_789, data: [0x45]),
                       PcapRecord(seconds: 1_700_000_000, fraction: 999_999_999, data: [0x45])]
        let path = dir.write("n.pcap", CaptureFile.pcap(bigEndian: bigEndian, nanoseconds: true, linkType: 101, records))
        let (frames, problems, reader) = try readAll(path)
        #expect(problems.isEmpty)
        #expect(reader.format == "pcap (nanosecond)")
        #expect(frames.map(\.timestamp) == [Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789),
                                            Timestamp(seconds: 1_700_000_000, nanoseconds: 999_999_999)])
        #expect(frames.allSatisfy { $0.linkType == .raw })
    }

    @Test func pcapngTwoInterfacesTwoSections() throws {
        var file = CaptureFile.sectionHeader()
        file += CaptureFile.interface(linkType: 1)                 // interface 0: Ethernet, microseconds
        file += CaptureFile.interface(linkType: 101, tsresol: 9)   // interface 1: raw IP, nanoseconds
        file += CaptureFile.packet(interface: 0, units: 1_700_000_000_000_000 + 250_000, data: [0xaa])
        file += CaptureFile.packet(interface: 1, units: 1_700_000_000_123_456_789, data: [0x45, 0], originalLength: 100)
        // A second section, big-endian, whose only interface is SLL2: interface numbers restart.
        file += CaptureFile.sectionHeader(bigEndian: true)
        file += CaptureFile.interface(linkType: 276, bigEndian: true)
        file += CaptureFile.packet(interface: 0, units: 5_000_001, data: [0xbb, 0xcc], bigEndian: true)
        let (frames, problems, reader) = try readAll(dir.write("f.pcapng", file))
        #expect(problems.isEmpty)
        #expect(reader.format == "pcapng")
        #expect(frames.map(\.number) == [1, 2, 3])
        #expect(frames.map(\.linkType) == [.ethernet, .raw, .linuxSLL2])
        #expect(frames.map(\.interfaceID) == [0, 1, 0])
        #expect(frames[0].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 250_000_000))
        #expect(frames[1].timestamp == Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        #expect(frames[1].isTruncatedByCapture && frames[1].originalLength == 100)
        #expect(frames[2].timestamp == Timestamp(seconds: 5, nanoseconds: 1_000))
        #expect(frames[2].bytes == [0xbb, 0xcc])
    }

    @Test func pcapngPacketNamingAnUndescribedInterfaceIsGarbage() throws {
        var file = CaptureFile.sectionHeader() + CaptureFile.interface(linkType: 1)
        file += CaptureFile.packet(interface: 0, units: 1, data: [1])
        file += CaptureFile.packet(interface: 7, units: 2, data: [2])
        let (frames, problems, reader) = try readAll(dir.write("g.pcapng", file))
        #expect(frames.count == 1)
        #expect(problems == ["file-garbage"])
        #expect(reader.problems.first?.frame == 2)
    }

    @Test func pcapngCutInsideABlock() throws {
        var file = CaptureFile.sectionHeader() + CaptureFile.interface(linkType: 1)
        file += CaptureFile.packet(interface: 0, units: 1, data: [1, 2, 3, 4])
        let second = CaptureFile.packet(interface: 0, units: 2, data: [UInt8](repeating: 9, count: 40))
        file += second.prefix(30)
        let (frames, problems, reader) = try readAll(dir.write("t.pcapng", file))
        #expect(frames.map(\.number) == [1])
        #expect(problems == ["file-truncated"])
        #expect(reader.problems.first?.frame == 2)
    }

    @Test func recordCutShortIsReportedAfterTheFramesBeforeIt() throws {
        var file = CaptureFile.pcap([PcapRecord(seconds: 1, fraction: 0, data: [1, 1]),
                                     PcapRecord(seconds: 2, fraction: 0, data: [2, 2])])
        file += CaptureFile.pcapRecord(PcapRecord(seconds: 3, fraction: 0, data: [3, 3, 3, 3, 3, 3])).dropLast(3)
        let (frames, problems, reader) = try readAll(dir.write("cut.pcap", file))
        #expect(frames.map(\.number) == [1, 2])
        #expect(problems == ["file-truncated"])
        let problem = try #require(reader.problems.first)
        #expect(problem.frame == 3)
        #expect(problem.message.contains("frame 3"))
    }

    @Test func recordHeaderCutShort() throws {
        var file = CaptureFile.pcap([PcapRecord(seconds: 1, fraction: 0, data: [1])])
        file += [0, 0, 0, 0, 0, 0]
        let (frames, problems, reader) = try readAll(dir.write("cuthdr.pcap", file))
        #expect(frames.count == 1)
        #expect(problems == ["file-truncated"])
        #expect(reader.problems.first?.frame == 2)
    }

    @Test func recordClaimingAHugeLengthIsGarbage() throws {
        var file = CaptureFile.pcap([PcapRecord(seconds: 1, fraction: 0, data: [1, 2, 3])])
        file += CaptureFile.pcapRecord(PcapRecord(seconds: 2, fraction: 0, data: [0, 0, 0, 0]), claimedLength: 0x7fff_0000)
        let (frames, problems, reader) = try readAll(dir.write("huge.pcap", file))
        #expect(frames.map(\.number) == [1])
        #expect(problems == ["file-garbage"])
        #expect(reader.problems.first?.frame == 2)
    }

    @Test func emptyFileIsNotACapture() throws {
        let path = dir.write("empty.pcap", [])
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: path) }
        guard case .notACapture(_, let detail)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(detail.contains("empty"))
    }

    @Test func textFileIsNotACapture() throws {
        let path = dir.write("notes.txt", bytes("INVITE sip:bob@example.com SIP/2.0\r\n"))
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: path) }
        guard case .notACapture(_, let detail)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(detail.contains("INVI"))
    }

    @Test func tinyFileIsNotACapture() throws {
        let path = dir.write("tiny", [0xd4, 0xc3])
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: path) }
        guard case .notACapture? = error else { Issue.record("wrong error \(String(describing: error))"); return }
    }

    @Test func pcapHeaderCutShortIsNotACapture() throws {
        let path = dir.write("short.pcap", Array(CaptureFile.pcap([]).prefix(10)))
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: path) }
        guard case .notACapture? = error else { Issue.record("wrong error \(String(describing: error))"); return }
    }

    @Test func directoryCannotBeOpened() throws {
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: dir.path) }
        guard case .cannotOpen(_, let reason)? = error else { Issue.record("wrong error \(String(describing: error))"); return }
        #expect(reason.contains("directory"))
    }

    @Test func missingPathCannotBeOpened() throws {
        let error = #expect(throws: CaptureError.self) { try CaptureReader(path: dir.path + "/nope.pcap") }
        guard case .cannotOpen? = error else { Issue.record("wrong error \(String(describing: error))"); return }
    }

    /// A file large enough to need several buffer refills, written into a pipe in odd-sized pieces.
    private func bigCapture() -> (file: [UInt8], count: Int) {
        var records: [PcapRecord] = []
        for i in 0..<400 {
            records.append(PcapRecord(seconds: UInt32(i), fraction: UInt32(i * 1000),
                                      data: [UInt8](repeating: UInt8(i & 0xff), count: 100 + i * 7)))
        }
        return (CaptureFile.pcap(records), records.count)
    }

    private func writeInPieces(_ data: [UInt8], to fd: Int32) -> Thread {
        let t = Thread {
            var at = 0
            var piece = 1
            while at < data.count {
                let n = min(piece, data.count - at)
                let written = data[at..<(at + n)].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, n) }
                if written <= 0 { break }
                at += written
                piece = piece * 3 % 5003 + 1
            }
            close(fd)
        }
        t.start()
        return t
    }

    @Test func readingFromAPipeMatchesReadingTheFile() throws {
        let (file, count) = bigCapture()
        let fromFile = try readAll(dir.write("big.pcap", file))
        #expect(fromFile.frames.count == count)

        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = writeInPieces(file, to: fds[1])
        let fromPipe = try readAll("/dev/fd/\(fds[0])")
        close(fds[0])
        #expect(fromPipe.problems.isEmpty)
        #expect(fromPipe.frames.map(\.number) == fromFile.frames.map(\.number))
        #expect(fromPipe.frames.map(\.bytes) == fromFile.frames.map(\.bytes))
        #expect(fromPipe.frames.map(\.timestamp) == fromFile.frames.map(\.timestamp))
    }

    @Test func byteSourceOverAPipeWithSmallChunks() throws {
        let (file, count) = bigCapture()
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = writeInPieces(file, to: fds[1])
        let source = ByteSource(fd: fds[0], ownsDescriptor: true, chunkSize: 37)
        let decoder = try #require(try PcapDecoder(source: source, path: "pipe"))
        var n = 0
        loop: while true {
            switch decoder.next() {
            case .frame(let f):
                #expect(f.bytes.count == 100 + n * 7)
                #expect(f.bytes.allSatisfy { $0 == UInt8(n & 0xff) })
                n += 1
            case .end: break loop
            case .damaged(let code, let message): Issue.record("\(code): \(message)"); break loop
            }
        }
        #expect(n == count)
        #expect(source.offset == file.count)
        #expect(source.isAtEnd)
    }

    @Test func byteSourceSkipAndPeek() throws {
        let path = dir.write("b", (0..<200).map { UInt8($0) })
        let fd = open(path, O_RDONLY)
        let source = ByteSource(fd: fd, ownsDescriptor: true, chunkSize: 16)
        #expect(Array(source.peek(3)) == [0, 1, 2])
        #expect(source.skip(50) == 50)
        #expect(Array(source.read(2)) == [50, 51])
        #expect(source.skip(1000) == 148)
        #expect(source.read(4).isEmpty)
        #expect(source.offset == 200)
    }
}
