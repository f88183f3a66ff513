import Base
import Testing
import TestSupport

/// Every writer's pcap and pcapng bytes, held against the tests' own writer (`CaptureFile`, made
/// from the format descriptions independently of `CaptureFileEncoding`).
@Suite struct CaptureFileEncodingTests {
    @Test func pcapHeaderAndRecordMatchAnIndependentWriter() {
        #expect(CaptureFileEncoding.pcapHeader(linkType: 1, snapLength: 65535) == CaptureFile.pcapHeader(linkType: 1, snapLength: 65535))
        #expect(CaptureFileEncoding.pcapHeader(linkType: 113, nanosecond: true, snapLength: 200)
                == CaptureFile.pcapHeader(nanoseconds: true, linkType: 113, snapLength: 200))
        let data: [UInt8] = [1, 2, 3, 4, 5]
        #expect(CaptureFileEncoding.pcapRecord(seconds: 1_700_000_000, fraction: 42, bytes: data, originalLength: 60)
                == CaptureFile.pcapRecord(PcapRecord(seconds: 1_700_000_000, fraction: 42, data: data, originalLength: 60)))
    }

    @Test func pcapngBlocksMatchAnIndependentWriter() {
        #expect(CaptureFileEncoding.sectionHeader() == CaptureFile.sectionHeader())
        #expect(CaptureFileEncoding.interfaceDescription(linkType: 1, snapLength: 0) == CaptureFile.interface(linkType: 1))
        let data: [UInt8] = [9, 8, 7]  // padded to 4 bytes
        #expect(CaptureFileEncoding.enhancedPacket(interface: 0, timestamp: 0x1_0000_0002, bytes: data, originalLength: 3)
                == CaptureFile.packet(interface: 0, units: 0x1_0000_0002, data: data))
    }

    @Test func optionsArePaddedTo32Bits() {
        #expect(CaptureFileEncoding.option(9, [6]) == [9, 0, 1, 0, 6, 0, 0, 0])
        #expect(CaptureFileEncoding.option(2, [1, 2, 3, 4]) == [2, 0, 4, 0, 1, 2, 3, 4])
        #expect(CaptureFileEncoding.padding(5) == [0, 0, 0] && CaptureFileEncoding.padding(8).isEmpty)
    }
}
