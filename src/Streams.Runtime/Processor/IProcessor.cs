namespace Streams.Runtime.Processor;

/// <summary>One step of a topology. It receives records, may forward new ones to its children and may use state stores.</summary>
public interface IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>
{
    void Init(IProcessorContext<TKeyOut, TValueOut> context)
    {
    }

    void Process(Record<TKeyIn, TValueIn> record);

    void Close()
    {
    }
}
